//! The parsed form of a shell command line.

/// A list of commands separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub list: AndOr,
    /// Ended with `&`.
    pub background: bool,
}

/// Pipelines joined by `&&` and `||`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Joiner, Pipeline)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// `&&`: run the next pipeline only if this one succeeded.
    And,
    /// `||`: run the next pipeline only if this one failed.
    Or,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// Starts with `!`.
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Simple(Simple),
    /// `for NAME [in WORDS]; do BODY; done`
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Script,
        redirects: Vec<Redirect>,
    },
    /// `while COND; do BODY; done` (or `until`).
    While {
        cond: Script,
        body: Script,
        until: bool,
        redirects: Vec<Redirect>,
    },
    /// `if COND; then BODY; [elif …] [else …] fi`
    If {
        branches: Vec<(Script, Script)>,
        otherwise: Option<Script>,
        redirects: Vec<Redirect>,
    },
    /// `{ LIST; }` or `( LIST )`.
    Group {
        body: Script,
        subshell: bool,
        redirects: Vec<Redirect>,
    },
    /// `[[ EXPRESSION ]]`
    Cond {
        expr: CondExpr,
        redirects: Vec<Redirect>,
    },
}

/// What `[[ … ]]` tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CondExpr {
    /// `-f FILE`, `-z STRING`…; a lone word is `-n WORD`.
    Unary {
        op: String,
        operand: Word,
    },
    /// `WORD == PATTERN`, `WORD =~ REGEX`, `N -eq M`…
    Binary {
        op: String,
        left: Word,
        right: Word,
    },
    Not(Box<CondExpr>),
    And(Box<CondExpr>, Box<CondExpr>),
    Or(Box<CondExpr>, Box<CondExpr>),
}

/// `NAME=value… word… redirection…`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// One shell word before expansion, as a sequence of differently quoted parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word(pub Vec<Part>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Unquoted text: subject to brace expansion and globbing.
    Bare(String),
    /// Text inside quotes or after a backslash: taken as is.
    Quoted(String),
    /// `$name`, `${name}`, `${name:-word}`, `${name[1]}`.
    Param {
        name: String,
        index: Option<Subscript>,
        default: Option<(bool, Word)>,
        quoted: bool,
    },
    /// `$(…)` or `` `…` ``.
    Subst { script: Script, quoted: bool },
    /// `$((…))`, kept as text and evaluated after its own expansions.
    Arith { expr: Word, quoted: bool },
}

/// What follows an array's name in `${name[…]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subscript {
    /// `[N]`: an arithmetic expression, counting from the end when negative.
    Element(Word),
    /// `[@]`: every element, each its own word when quoted.
    Each,
    /// `[*]`: every element, joined by spaces when quoted.
    Joined,
}

impl Word {
    /// The word's text when it is plain literal text (for reserved words and names).
    pub fn literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.0 {
            match part {
                Part::Bare(s) | Part::Quoted(s) => text.push_str(s),
                _ => return None,
            }
        }
        Some(text)
    }

    /// The word's text when it is entirely unquoted literal text.
    pub fn bare(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Bare(s)] => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// 0 for stdin, 1 for stdout, 2 for stderr.
    pub fd: u8,
    pub op: RedirectOp,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectOp {
    /// `> file`
    Write(Word),
    /// `>> file`
    Append(Word),
    /// `< file`
    Read(Word),
    /// `>&2`, `2>&1`
    Dup(u8),
    /// `&> file`: stdout and stderr to one file.
    Both(Word),
    /// `<<EOF` with its body; `expand` is false when the delimiter was quoted.
    Heredoc { body: Word, expand: bool },
    /// `<<< word`
    HereString(Word),
}
