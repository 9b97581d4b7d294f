//! The ARM template expression language: a string `"[…]"` is an expression, `"[[…"` is a
//! literal string starting with `[`, anything else a plain string.
//!
//! Grammar: literals (`'text'` with `''` for a quote, numbers, `true`, `false`, `null`),
//! function calls (`name(args)`, `namespace.name(args)`), and after any of them `.property`
//! and `[index]`. Function and property names are case-insensitive; calls keep their name
//! lowercased.

/// A template expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    /// A function call, its name lowercased (`namespace.name` for user functions).
    Call(String, Vec<Expr>),
    /// `.property` (and `.?property`).
    Prop(Box<Expr>, String),
    /// `[index]` (and `[?index]`).
    Index(Box<Expr>, Box<Expr>),
}

/// What a JSON string is to ARM.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Classified {
    Literal(String),
    Expression(Result<Expr, String>),
}

/// Classifies a JSON string value: a plain string, an escaped `[[`, or an expression.
pub(crate) fn classify(s: &str) -> Classified {
    let trimmed = s.trim();
    if let Some(rest) = s.strip_prefix("[[") {
        return Classified::Literal(format!("[{rest}"));
    }
    if trimmed.starts_with('[') && trimmed.ends_with(']') && trimmed.len() >= 2 {
        let inner = &trimmed[1..trimmed.len() - 1];
        return Classified::Expression(parse(inner));
    }
    Classified::Literal(s.to_string())
}

/// Parses the text between the brackets.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        chars: text.chars().collect(),
        at: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.ws();
    if p.at < p.chars.len() {
        return Err(format!(
            "unexpected `{}` at character {}",
            p.chars[p.at],
            p.at + 1
        ));
    }
    Ok(e)
}

/// Deeper nesting than this is refused rather than recursed into.
const MAX_NESTING: u32 = 256;

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: u32,
}

impl Parser {
    fn ws(&mut self) {
        while self.at < self.chars.len() && self.chars[self.at].is_whitespace() {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err("the expression is nested too deeply".to_string());
        }
        let mut e = self.primary()?;
        loop {
            self.ws();
            match self.peek() {
                Some('.') => {
                    self.at += 1;
                    self.eat('?');
                    let name = self.ident().ok_or("a property name after `.`")?;
                    e = Expr::Prop(Box::new(e), name);
                }
                Some('[') => {
                    self.at += 1;
                    self.eat('?');
                    let index = self.expr()?;
                    if !self.eat(']') {
                        return Err("a `]` after the index".to_string());
                    }
                    e = Expr::Index(Box::new(e), Box::new(index));
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(e)
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' || (c == '$' && self.at == start) {
                self.at += 1;
            } else {
                break;
            }
        }
        (self.at > start).then(|| self.chars[start..self.at].iter().collect())
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.ws();
        match self.peek() {
            None => Err("an expression is missing".to_string()),
            Some('\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == '-' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                let mut name = self.ident().unwrap_or_default();
                // `namespace.function(…)`: a user-defined function.
                let save = self.at;
                if self.eat('.') {
                    if let Some(second) = self.ident()
                        && self.eat('(')
                    {
                        self.at -= 1;
                        name = format!("{name}.{second}");
                    } else {
                        self.at = save;
                    }
                }
                if self.eat('(') {
                    let mut args = Vec::new();
                    if !self.eat(')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(',') {
                                continue;
                            }
                            if self.eat(')') {
                                break;
                            }
                            return Err(format!("a `,` or `)` in the arguments of {name}()"));
                        }
                    }
                    return Ok(Expr::Call(name.to_ascii_lowercase(), args));
                }
                match name.to_ascii_lowercase().as_str() {
                    "true" => Ok(Expr::Bool(true)),
                    "false" => Ok(Expr::Bool(false)),
                    "null" => Ok(Expr::Null),
                    _ => Err(format!("`{name}` is not a function call or a literal")),
                }
            }
            Some(c) => Err(format!("unexpected `{c}` at character {}", self.at + 1)),
        }
    }

    fn string(&mut self) -> Result<Expr, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err("a string is not closed with `'`".to_string()),
                Some('\'') => {
                    self.at += 1;
                    if self.peek() == Some('\'') {
                        out.push('\'');
                        self.at += 1;
                    } else {
                        return Ok(Expr::Str(out));
                    }
                }
                Some(c) => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn number(&mut self) -> Result<Expr, String> {
        let start = self.at;
        if self.peek() == Some('-') {
            self.at += 1;
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        text.parse()
            .map(Expr::Num)
            .map_err(|_| format!("`{text}` is not a number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(name.into(), args)
    }

    #[test]
    fn classifies_strings() {
        assert_eq!(classify("plain"), Classified::Literal("plain".into()));
        assert_eq!(
            classify("[[not an expression]"),
            Classified::Literal("[not an expression]".into())
        );
        assert!(matches!(
            classify("[parameters('x')]"),
            Classified::Expression(Ok(_))
        ));
        assert!(matches!(classify("[concat('a'"), Classified::Literal(_)));
        assert!(matches!(
            classify("[concat('a']"),
            Classified::Expression(Err(_))
        ));
    }

    #[test]
    fn parses_calls_properties_and_indexes() {
        assert_eq!(
            parse("resourceGroup().location").unwrap(),
            Expr::Prop(Box::new(call("resourcegroup", vec![])), "location".into())
        );
        assert_eq!(
            parse("Variables('list')[copyIndex(1)]").unwrap(),
            Expr::Index(
                Box::new(call("variables", vec![Expr::Str("list".into())])),
                Box::new(call("copyindex", vec![Expr::Num(1.0)]))
            )
        );
        assert_eq!(
            parse("concat('it''s', -1, true, null)").unwrap(),
            call(
                "concat",
                vec![
                    Expr::Str("it's".into()),
                    Expr::Num(-1.0),
                    Expr::Bool(true),
                    Expr::Null
                ]
            )
        );
        assert_eq!(
            parse("ns.fn('a')").unwrap(),
            call("ns.fn", vec![Expr::Str("a".into())])
        );
        assert!(parse("concat('a',)").is_err());
        assert!(parse("foo").is_err());
        assert!(parse(&"concat(".repeat(300)).is_err());
    }
}
