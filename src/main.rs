//! The `intark-docs` binary: hands the arguments to the library's CLI layer and exits with its code.

fn main() {
    std::process::exit(intark_docs::cli::run(std::env::args_os()));
}
