//! Splitting shell text into commands and words with bash's quoting rules: single and double quotes,
//! backslash escapes, line continuations, `$VAR` and `${VAR}` from a given environment, comments,
//! `;`/`&&` between commands, a `$ ` prompt on console transcripts. Command substitution and
//! redirection are refused, not run.

use super::{CannotRun, Env};

/// Split a script into commands, each a list of words.
pub fn commands(text: &str, env: Env<'_>) -> Result<Vec<Vec<String>>, CannotRun> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    let mut at_line_start = true;
    let finish = |words: &mut Vec<String>, commands: &mut Vec<Vec<String>>| {
        if !words.is_empty() {
            commands.push(std::mem::take(words));
        }
    };
    while let Some(c) = chars.next() {
        if at_line_start {
            at_line_start = false;
            if c == '$' && chars.peek() == Some(&' ') {
                chars.next();
                continue;
            }
        }
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(other) => {
                    word.push(other);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err(CannotRun("a single quote is not closed".into())),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some('\n') => {}
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => return Err(CannotRun("a double quote is not closed".into())),
                        },
                        Some('$') => expand(&mut chars, env, &mut word)?,
                        Some('`') => {
                            return Err(CannotRun("command substitution (`…`) is not run".into()))
                        }
                        Some(ch) => word.push(ch),
                        None => return Err(CannotRun("a double quote is not closed".into())),
                    }
                }
            }
            '$' => {
                in_word = true;
                expand(&mut chars, env, &mut word)?;
            }
            '`' => return Err(CannotRun("command substitution (`…`) is not run".into())),
            '#' if !in_word => {
                while chars.peek().is_some_and(|&ch| ch != '\n') {
                    chars.next();
                }
            }
            ' ' | '\t' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\n' | ';' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                finish(&mut words, &mut commands);
                at_line_start = c == '\n';
            }
            '&' if chars.peek() == Some(&'&') => {
                chars.next();
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                finish(&mut words, &mut commands);
            }
            '|' => {
                // Output piped to another program (`| jq .`): the request is what we run.
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                finish(&mut words, &mut commands);
                while chars.peek().is_some_and(|&ch| ch != '\n') {
                    chars.next();
                }
            }
            '<' | '>' => return Err(CannotRun(format!("redirection `{c}` is not supported"))),
            other => {
                word.push(other);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    finish(&mut words, &mut commands);
    Ok(commands)
}

fn expand(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    env: Env<'_>,
    word: &mut String,
) -> Result<(), CannotRun> {
    let name: String = if chars.peek() == Some(&'{') {
        chars.next();
        let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
        name
    } else if chars.peek() == Some(&'(') {
        return Err(CannotRun("command substitution `$(…)` is not run".into()));
    } else {
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        name
    };
    if name.is_empty() {
        word.push('$');
        return Ok(());
    }
    match env(&name) {
        Some(value) => {
            word.push_str(&value);
            Ok(())
        }
        None => Err(CannotRun(format!("the variable `${name}` is not set"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<String>> {
        commands(text, &|n| (n == "KEY").then(|| "k1".to_string())).unwrap()
    }

    #[test]
    fn quotes_escapes_continuations_and_prompts() {
        assert_eq!(
            split("$ curl -H \"A: $KEY\" \\\n  'x y'\"z\""),
            [["curl", "-H", "A: k1", "x yz"]]
        );
        assert_eq!(
            split("echo a\\ b # kommentar\ncurl x && curl y"),
            [vec!["echo", "a b"], vec!["curl", "x"], vec!["curl", "y"]]
        );
        assert_eq!(split("curl 'it'\\''s'"), [["curl", "it's"]]);
        assert_eq!(split("curl x | jq ."), [["curl", "x"]]);
    }

    #[test]
    fn substitution_and_unknown_variables_are_refused() {
        let env = |_: &str| None;
        assert!(commands("curl $(cat f)", &env).is_err());
        assert!(commands("curl `id`", &env).is_err());
        assert!(commands("curl $MISSING", &env)
            .unwrap_err()
            .0
            .contains("MISSING"));
        assert!(commands("curl 'open", &env).is_err());
    }
}
