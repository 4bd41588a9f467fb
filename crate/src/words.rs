//! Web Shell words back into a POSIX argv.
//!
//! The Web Shell splits a command line on single spaces and knows no quoting, so
//! `rw p.wasm "b c"` reaches us as `["p.wasm", "\"b", "c\""]`. Joining the words with
//! one space restores the line as typed (runs of spaces excepted: the shell already
//! collapsed them) and `shlex` splits it again the way a POSIX shell would.

/// The words joined back and split with POSIX shell quoting.
/// `Err` carries the restored line when a quote is left open.
pub fn shell_argv(words: &[String]) -> Result<Vec<String>, String> {
    let line = words.join(" ");
    shlex::split(&line).ok_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        // What the Web Shell does: split on ' ', drop empty words.
        line.split(' ')
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect()
    }

    #[test]
    fn double_and_single_quotes_group_words() {
        let argv = shell_argv(&words(r#"p.wasm a "b c" 'd e'"#)).unwrap();
        assert_eq!(argv, ["p.wasm", "a", "b c", "d e"]);
    }

    #[test]
    fn backslash_escapes_a_space_and_a_quote() {
        let argv = shell_argv(&words(r#"p.wasm a\ b \"x"#)).unwrap();
        assert_eq!(argv, ["p.wasm", "a b", "\"x"]);
    }

    #[test]
    fn quotes_keep_an_empty_argument() {
        let argv = shell_argv(&words(r#"p.wasm "" x"#)).unwrap();
        assert_eq!(argv, ["p.wasm", "", "x"]);
    }

    #[test]
    fn unclosed_quote_is_an_error_with_the_line() {
        let err = shell_argv(&words(r#"p.wasm "oops"#)).unwrap_err();
        assert_eq!(err, r#"p.wasm "oops"#);
    }

    #[test]
    fn plain_words_pass_through() {
        let argv = shell_argv(&words("--env A=1 p.wasm -x --y=2")).unwrap();
        assert_eq!(argv, ["--env", "A=1", "p.wasm", "-x", "--y=2"]);
    }
}
