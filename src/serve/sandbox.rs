//! Try-it requests from the catalog's pages under `serve`: `/_intark/sandbox/PATH` is answered by
//! the sandbox gateway over the catalog being served, so a writer can try every operation without a
//! key or a network. A request without a key gets the sandbox's first key added. The gateway is made
//! from the current catalog on each request, so it always matches what the pages show.

use super::state::State;
use crate::sandbox::gateway::{Gateway, Request as GatewayRequest};
use crate::server::{Request, Response};

/// Where the try-it forms send under `serve`.
pub(super) const PREFIX: &str = "/_intark/sandbox";

/// The gateway path of `target` when it is a try-it request (`/_intark/sandbox/x?y` → `/x?y`).
pub(super) fn gateway_target(target: &str) -> Option<&str> {
    let rest = target.strip_prefix(PREFIX)?;
    (rest.starts_with('/') || rest.starts_with('?')).then_some(rest)
}

/// The sandbox's answer to a try-it request (`target` is the gateway path and query).
pub(super) fn answer(state: &State, request: &Request, target: &str) -> Response {
    let config = &state.config;
    let key_header = &config.file.gateway.key_header;
    let mut headers = request.headers.clone();
    let has_key = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case(key_header))
        || target.contains("api-key=");
    if !has_key {
        if let Some(key) = config.file.sandbox.keys.first() {
            headers.push((key_header.clone(), key.key.clone()));
        }
    }
    let gateway = Gateway::new(
        state.site.catalog.clone(),
        config.file.sandbox.keys.clone(),
        key_header,
    );
    let answer = gateway.handle(&GatewayRequest {
        method: &request.method,
        url: target,
        headers: &headers,
        body: &request.body,
    });
    let content_type = answer
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map_or("application/octet-stream", |(_, v)| v.as_str())
        .to_string();
    let mut response = Response::new(answer.status, &content_type, answer.body)
        .with_header("Cache-Control", "no-store");
    for (name, value) in answer
        .headers
        .into_iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
    {
        response = response.with_header(&name, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_sandbox_prefix_is_a_try_it_request() {
        assert_eq!(
            gateway_target("/_intark/sandbox/lonn/v1/x?a=1"),
            Some("/lonn/v1/x?a=1")
        );
        assert_eq!(gateway_target("/_intark/sandboxes/x"), None);
        assert_eq!(gateway_target("/docs/x"), None);
    }
}
