//! Regular expressions as glibc's regcomp reads them, for grep, sed and
//! bash's `=~`: basic syntax with GNU's `\|`, `\+` and `\?`, or extended
//! syntax; groups, intervals, bracket expressions with POSIX classes, and
//! GNU's `\w`, `\s`, `\b`, `\<`, `\>`. The whole match is POSIX's leftmost
//! longest; a group gets what the greedy, first-alternative-first path to
//! that match gives it (what glibc gives in all but contrived cases).
//!
//! It runs as a Pike VM: every path through the pattern advances over the
//! text together, one character at a time, so matching costs at most
//! program × text steps whatever the pattern (a backtracking matcher is
//! exponential on `(a*)*b`), and memory stays with the program's size.

/// Most instructions a pattern compiles to; `{m,n}` copies what it repeats.
const MAX_PROGRAM: usize = 20_000;
/// Deepest nesting of groups and repetitions, which the compiler recurses over.
const MAX_DEPTH: usize = 100;
/// RE_DUP_MAX: the largest count an interval may name.
const DUP_MAX: u32 = 0x7fff;

const TOO_BIG: &str = "Regular expression too big";
const UNMATCHED_OPEN: &str = "Unmatched ( or \\(";
const UNMATCHED_BRACKET: &str = "Unmatched [, [^, [:, [., or [=";
/// What a pattern with `\1`…`\9` is refused with: the machine keeps no
/// memory of what a group matched while it runs.
pub const BACK_REFERENCES: &str = "back-references (\\1…\\9) are not simulated in the playground";

/// How to read a pattern.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Extended syntax (`grep -E`, `=~`) rather than basic.
    pub extended: bool,
    /// Every character stands for itself (`grep -F`).
    pub fixed: bool,
    pub ignore_case: bool,
    /// The match must not touch a word character on either side (`grep -w`).
    pub whole_words: bool,
}

/// Where a match and its groups lie, in chars: `[0]` is the whole match,
/// `[n]` group n, None for a group that took no part in it.
pub type Spans = Vec<Option<(usize, usize)>>;

#[derive(Debug)]
pub struct Regex {
    program: Vec<Inst>,
    sets: Vec<Set>,
    groups: usize,
    ignore_case: bool,
}

#[derive(Clone, Debug)]
enum Inst {
    Char(char),
    Any,
    Set(usize),
    /// Go on at both, preferring the first.
    Split(usize, usize),
    Jump(usize),
    /// Note the position in a capture slot.
    Save(usize),
    Assert(Look),
    Match,
}

/// Zero-width conditions on the characters around a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Look {
    Start,
    End,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
    NoWordBefore,
    NoWordAfter,
}

/// A bracket expression (or `\w`, `\s`…).
#[derive(Clone, Debug, Default)]
struct Set {
    ranges: Vec<(char, char)>,
    classes: Vec<Class>,
    negate: bool,
}

#[derive(Clone, Copy, Debug)]
enum Class {
    Alpha,
    Digit,
    Alnum,
    Upper,
    Lower,
    Space,
    Blank,
    Punct,
    Print,
    Graph,
    Cntrl,
    Xdigit,
}

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Set(usize),
    Look(Look),
    Group(usize, Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

impl Regex {
    /// Compiles `pattern`; the error is glibc's text for it ("Unmatched ( or \(").
    pub fn new(pattern: &str, options: Options) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
            extended: options.extended,
            groups: 0,
            depth: 0,
            sets: Vec::new(),
        };
        let mut root = if options.fixed {
            Node::Concat(chars.iter().map(|c| Node::Char(*c)).collect())
        } else {
            parser.alternation()?
        };
        if options.whole_words {
            root = Node::Concat(vec![
                Node::Look(Look::NoWordBefore),
                root,
                Node::Look(Look::NoWordAfter),
            ]);
        }
        let mut program = Vec::new();
        emit(&mut program, &root)?;
        program.push(Inst::Match);
        if options.ignore_case {
            // The text is folded as it is read, so literals are kept folded.
            for inst in &mut program {
                if let Inst::Char(c) = inst {
                    *c = fold(*c);
                }
            }
        }
        Ok(Regex {
            program,
            sets: parser.sets,
            groups: parser.groups,
            ignore_case: options.ignore_case,
        })
    }

    /// How many groups the pattern has.
    pub fn groups(&self) -> usize {
        self.groups
    }

    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.captures(&chars, 0).is_some()
    }

    /// The leftmost-longest match starting at or after `from`, with its groups.
    pub fn captures(&self, text: &[char], from: usize) -> Option<Spans> {
        let slots = 2 * (self.groups + 1);
        let mut current = Threads::new(self.program.len());
        let mut next = Threads::new(self.program.len());
        let mut stack = Vec::new();
        let mut best: Option<Vec<Option<usize>>> = None;
        for pos in from..=text.len() {
            if best.is_none() {
                let mut start = vec![None; slots];
                start[0] = Some(pos);
                self.follow(&mut current, &mut stack, (0, start), text, pos);
            } else if current.list.is_empty() {
                break;
            }
            for (pc, saved) in std::mem::take(&mut current.list) {
                let best_start = best.as_ref().and_then(|b| b[0]);
                if best_start.is_some_and(|b| saved[0] > Some(b)) {
                    continue;
                }
                match &self.program[pc] {
                    Inst::Match => {
                        let longer = best.as_ref().is_none_or(|b| {
                            saved[0] < b[0] || (saved[0] == b[0] && Some(pos) > b[1])
                        });
                        if longer {
                            let mut found = saved;
                            found[1] = Some(pos);
                            best = Some(found);
                        }
                    }
                    inst => {
                        if text.get(pos).is_some_and(|c| self.consumes(inst, *c)) {
                            self.follow(&mut next, &mut stack, (pc + 1, saved), text, pos + 1);
                        }
                    }
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        best.map(|slots| {
            slots
                .chunks(2)
                .map(|pair| match pair {
                    [Some(a), Some(b)] if a <= b => Some((*a, *b)),
                    _ => None,
                })
                .collect()
        })
    }

    /// Adds the thread at `pc` to `threads`, following jumps, splits,
    /// saves and assertions first, as the character at `pos` comes next.
    fn follow(
        &self,
        threads: &mut Threads,
        stack: &mut Vec<(usize, Vec<Option<usize>>)>,
        thread: (usize, Vec<Option<usize>>),
        text: &[char],
        pos: usize,
    ) {
        stack.push(thread);
        while let Some((pc, mut saved)) = stack.pop() {
            // A thread already at `pc` here came first, so it has priority.
            if threads.seen[pc] == pos {
                continue;
            }
            threads.seen[pc] = pos;
            match &self.program[pc] {
                Inst::Jump(to) => stack.push((*to, saved)),
                Inst::Split(first, second) => {
                    stack.push((*second, saved.clone()));
                    stack.push((*first, saved));
                }
                Inst::Save(slot) => {
                    saved[*slot] = Some(pos);
                    stack.push((pc + 1, saved));
                }
                Inst::Assert(look) => {
                    if look.holds(text, pos) {
                        stack.push((pc + 1, saved));
                    }
                }
                _ => threads.list.push((pc, saved)),
            }
        }
    }

    fn consumes(&self, inst: &Inst, c: char) -> bool {
        let c = if self.ignore_case { fold(c) } else { c };
        match inst {
            Inst::Char(p) => *p == c,
            Inst::Any => true,
            Inst::Set(i) => self.sets[*i].contains(c, self.ignore_case),
            _ => false,
        }
    }
}

/// The threads waiting at one position; `seen[pc]` is the position at which
/// one last reached `pc`.
struct Threads {
    seen: Vec<usize>,
    list: Vec<(usize, Vec<Option<usize>>)>,
}

impl Threads {
    fn new(len: usize) -> Threads {
        Threads {
            seen: vec![usize::MAX; len],
            list: Vec::new(),
        }
    }
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

fn is_word(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

impl Look {
    fn holds(self, text: &[char], pos: usize) -> bool {
        let before = is_word(pos.checked_sub(1).and_then(|p| text.get(p)));
        let after = is_word(text.get(pos));
        match self {
            Look::Start => pos == 0,
            Look::End => pos == text.len(),
            Look::WordBoundary => before != after,
            Look::NotWordBoundary => before == after,
            Look::WordStart => !before && after,
            Look::WordEnd => before && !after,
            Look::NoWordBefore => !before,
            Look::NoWordAfter => !after,
        }
    }
}

impl Set {
    fn contains(&self, c: char, ignore_case: bool) -> bool {
        let member = |c: char| {
            self.ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
                || self.classes.iter().any(|class| class.contains(c))
        };
        let found = if ignore_case {
            member(c) || c.to_uppercase().any(member) || c.to_lowercase().any(member)
        } else {
            member(c)
        };
        found != self.negate
    }
}

impl Class {
    fn named(name: &str) -> Option<Class> {
        Some(match name {
            "alpha" => Class::Alpha,
            "digit" => Class::Digit,
            "alnum" => Class::Alnum,
            "upper" => Class::Upper,
            "lower" => Class::Lower,
            "space" => Class::Space,
            "blank" => Class::Blank,
            "punct" => Class::Punct,
            "print" => Class::Print,
            "graph" => Class::Graph,
            "cntrl" => Class::Cntrl,
            "xdigit" => Class::Xdigit,
            _ => return None,
        })
    }

    fn contains(self, c: char) -> bool {
        match self {
            Class::Alpha => c.is_alphabetic(),
            Class::Digit => c.is_ascii_digit(),
            Class::Alnum => c.is_alphanumeric(),
            Class::Upper => c.is_uppercase(),
            Class::Lower => c.is_lowercase(),
            Class::Space => matches!(c, ' ' | '\t'..='\r'),
            Class::Blank => c == ' ' || c == '\t',
            Class::Punct => c.is_ascii_punctuation(),
            Class::Print => !c.is_control(),
            Class::Graph => !c.is_control() && c != ' ',
            Class::Cntrl => c.is_control(),
            Class::Xdigit => c.is_ascii_hexdigit(),
        }
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    extended: bool,
    groups: usize,
    depth: usize,
    sets: Vec<Set>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    /// Whether an operator spelt `c` bare in extended syntax and `\c` in
    /// basic syntax comes next; returns its length.
    fn operator(&self, c: char) -> Option<usize> {
        if self.extended {
            (self.peek() == Some(c)).then_some(1)
        } else {
            (self.peek() == Some('\\') && self.peek_at(1) == Some(c)).then_some(2)
        }
    }

    fn at_branch_end(&self) -> bool {
        self.peek().is_none()
            || self.operator('|').is_some()
            || (self.depth > 0 && self.operator(')').is_some())
    }

    fn nest(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(TOO_BIG.to_string());
        }
        Ok(())
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.branch()?];
        while let Some(len) = self.operator('|') {
            self.pos += len;
            branches.push(self.branch()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn branch(&mut self) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        while let Some(c) = self.peek().filter(|_| !self.at_branch_end()) {
            // A repetition with nothing before it (after `^` too, in basic
            // syntax) stands for itself, as in GNU grep.
            let leading = items.is_empty()
                || (!self.extended && matches!(items.as_slice(), [Node::Look(Look::Start)]));
            let atom = self.atom(c, leading)?;
            let repeated = self.repetitions(atom)?;
            items.push(repeated);
        }
        Ok(Node::Concat(items))
    }

    fn repetitions(&mut self, mut node: Node) -> Result<Node, String> {
        let depth = self.depth;
        loop {
            let (min, max) = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    (0, None)
                }
                _ => {
                    if let Some(len) = self.operator('+') {
                        self.pos += len;
                        (1, None)
                    } else if let Some(len) = self.operator('?') {
                        self.pos += len;
                        (0, Some(1))
                    } else if self.operator('{').is_some() {
                        match self.interval()? {
                            Some(bounds) => bounds,
                            None => break,
                        }
                    } else {
                        break;
                    }
                }
            };
            self.nest()?;
            node = Node::Repeat {
                node: Box::new(node),
                min,
                max,
            };
        }
        self.depth = depth;
        Ok(node)
    }

    /// `{m}`, `{m,}`, `{m,n}` or `{,n}`. A `{` that does not start one is
    /// a literal in extended syntax (None) and an error in basic syntax.
    fn interval(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let start = self.pos;
        self.pos += if self.extended { 1 } else { 2 };
        let min = self.number();
        let comma = self.peek() == Some(',');
        let max = if comma {
            self.pos += 1;
            self.number()
        } else {
            min
        };
        let closed = if self.extended {
            self.peek() == Some('}')
        } else {
            self.peek() == Some('\\') && self.peek_at(1) == Some('}')
        };
        if !closed || (min.is_none() && !(comma && max.is_some())) {
            if self.extended {
                self.pos = start;
                return Ok(None);
            }
            return Err(if closed {
                "Invalid content of \\{\\}"
            } else {
                "Unmatched \\{"
            }
            .to_string());
        }
        let min = min.unwrap_or(0);
        if min > DUP_MAX || max.is_some_and(|max| max < min || max > DUP_MAX) {
            return Err("Invalid content of \\{\\}".to_string());
        }
        self.pos += if self.extended { 1 } else { 2 };
        Ok(Some((min, max)))
    }

    fn number(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        // Too many digits is over DUP_MAX, which the caller refuses.
        (!digits.is_empty()).then(|| digits.parse().unwrap_or(u32::MAX))
    }

    fn atom(&mut self, c: char, leading: bool) -> Result<Node, String> {
        if let Some(len) = self.operator('(') {
            self.pos += len;
            return self.group();
        }
        self.pos += 1;
        Ok(match c {
            '.' => Node::Any,
            '[' => self.bracket()?,
            '^' if self.extended || leading => Node::Look(Look::Start),
            '$' if self.extended || self.at_branch_end() => Node::Look(Look::End),
            '\\' => self.escape()?,
            _ => Node::Char(c),
        })
    }

    fn group(&mut self) -> Result<Node, String> {
        self.nest()?;
        self.groups += 1;
        let number = self.groups;
        let inner = self.alternation()?;
        match self.operator(')') {
            Some(len) => self.pos += len,
            None => return Err(UNMATCHED_OPEN.to_string()),
        }
        self.depth -= 1;
        Ok(Node::Group(number, Box::new(inner)))
    }

    /// After a backslash that is not an operator of this syntax.
    fn escape(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Err("Trailing backslash".to_string());
        };
        self.pos += 1;
        let set = |parser: &mut Parser, class: Class, extra: &[char], negate: bool| {
            parser.sets.push(Set {
                ranges: extra.iter().map(|c| (*c, *c)).collect(),
                classes: vec![class],
                negate,
            });
            Node::Set(parser.sets.len() - 1)
        };
        Ok(match c {
            ')' if !self.extended => return Err("Unmatched ) or \\)".to_string()),
            '1'..='9' => return Err(BACK_REFERENCES.to_string()),
            'w' | 'W' => set(self, Class::Alnum, &['_'], c == 'W'),
            's' | 'S' => set(self, Class::Space, &[], c == 'S'),
            'b' => Node::Look(Look::WordBoundary),
            'B' => Node::Look(Look::NotWordBoundary),
            '<' => Node::Look(Look::WordStart),
            '>' => Node::Look(Look::WordEnd),
            _ => Node::Char(c),
        })
    }

    /// After `[`: members up to the closing `]`, which may come first as a member.
    fn bracket(&mut self) -> Result<Node, String> {
        let mut set = Set::default();
        if self.peek() == Some('^') {
            set.negate = true;
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let c = self.peek().ok_or(UNMATCHED_BRACKET)?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.peek_at(1) == Some(':') {
                let name = self.bracket_name(':')?;
                set.classes
                    .push(Class::named(&name).ok_or("Invalid character class name")?);
                continue;
            }
            let lo = self.bracket_char()?;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c != ']') {
                self.pos += 1;
                let hi = self.bracket_char()?;
                if hi < lo {
                    return Err("Invalid range end".to_string());
                }
                set.ranges.push((lo, hi));
            } else {
                set.ranges.push((lo, lo));
            }
        }
        self.sets.push(set);
        Ok(Node::Set(self.sets.len() - 1))
    }

    /// One character in a bracket expression, `[.c.]` and `[=c=]` included.
    fn bracket_char(&mut self) -> Result<char, String> {
        let c = self.peek().ok_or(UNMATCHED_BRACKET)?;
        if c == '[' {
            if let Some(kind @ ('.' | '=')) = self.peek_at(1) {
                let name = self.bracket_name(kind)?;
                let mut chars = name.chars();
                return match (chars.next(), chars.next()) {
                    (Some(c), None) => Ok(c),
                    _ => Err("Invalid collation character".to_string()),
                };
            }
        }
        self.pos += 1;
        Ok(c)
    }

    /// The name in `[:name:]` (or `[.c.]`, `[=c=]`), at `[`.
    fn bracket_name(&mut self, kind: char) -> Result<String, String> {
        let start = self.pos + 2;
        let end = (start..self.chars.len().saturating_sub(1))
            .find(|&i| self.chars[i] == kind && self.chars[i + 1] == ']')
            .ok_or(UNMATCHED_BRACKET)?;
        self.pos = end + 2;
        Ok(self.chars[start..end].iter().collect())
    }
}

fn emit(program: &mut Vec<Inst>, node: &Node) -> Result<(), String> {
    if program.len() > MAX_PROGRAM {
        return Err(TOO_BIG.to_string());
    }
    match node {
        Node::Char(c) => program.push(Inst::Char(*c)),
        Node::Any => program.push(Inst::Any),
        Node::Set(i) => program.push(Inst::Set(*i)),
        Node::Look(look) => program.push(Inst::Assert(*look)),
        Node::Group(n, inner) => {
            program.push(Inst::Save(2 * n));
            emit(program, inner)?;
            program.push(Inst::Save(2 * n + 1));
        }
        Node::Concat(items) => {
            for item in items {
                emit(program, item)?;
            }
        }
        Node::Alt(branches) => {
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 == branches.len() {
                    emit(program, branch)?;
                    break;
                }
                let split = program.len();
                program.push(Inst::Split(split + 1, 0));
                emit(program, branch)?;
                jumps.push(program.len());
                program.push(Inst::Jump(0));
                program[split] = Inst::Split(split + 1, program.len());
            }
            let end = program.len();
            for jump in jumps {
                program[jump] = Inst::Jump(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(program, node)?;
            }
            match max {
                None => {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(program, node)?;
                    program.push(Inst::Jump(split));
                    program[split] = Inst::Split(split + 1, program.len());
                }
                Some(max) => {
                    // Each further copy is optional, and only after the one before it.
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(program.len() + 1, 0));
                        emit(program, node)?;
                    }
                    let end = program.len();
                    for split in splits {
                        program[split] = Inst::Split(split + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ere(pattern: &str) -> Regex {
        Regex::new(
            pattern,
            Options {
                extended: true,
                ..Options::default()
            },
        )
        .unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    fn bre(pattern: &str) -> Regex {
        Regex::new(pattern, Options::default()).unwrap_or_else(|e| panic!("{pattern}: {e}"))
    }

    fn same_groups(pattern: &str, text: &str, expected: &[&str]) {
        let expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            groups(&ere(pattern), text),
            Some(expected),
            "{pattern} on {text:?}"
        );
    }

    /// The whole match and each group's text ("" for one that took no part).
    fn groups(regex: &Regex, text: &str) -> Option<Vec<String>> {
        let chars: Vec<char> = text.chars().collect();
        regex.captures(&chars, 0).map(|spans| {
            spans
                .iter()
                .map(|span| span.map_or(String::new(), |(a, b)| chars[a..b].iter().collect()))
                .collect()
        })
    }

    #[test]
    fn groups_capture_what_bash_rematch_holds() {
        same_groups("-([0-9]+)$", "mysql-12", &["-12", "12"]);
        // glibc reads `*?` as `(x*)?`: greedy, not lazy.
        same_groups(
            "^(.*?)[[:space:]]+(.*?)$",
            "mysql-bin.000003\t154",
            &["mysql-bin.000003\t154", "mysql-bin.000003", "154"],
        );
        same_groups("a(x)?b", "ab", &["ab", ""]);
        same_groups("(a|b)b", "ab", &["ab", "a"]);
        assert_eq!(groups(&ere("x"), "y"), None);
    }

    #[test]
    fn the_match_is_leftmost_then_longest() {
        let find = |regex: &Regex, text: &str| {
            let chars: Vec<char> = text.chars().collect();
            regex.captures(&chars, 0).and_then(|spans| spans[0])
        };
        assert_eq!(find(&ere("a|ab"), "xab"), Some((1, 3)));
        assert_eq!(find(&ere("b+|abc"), "abbb"), Some((1, 4)));
        assert_eq!(find(&ere("abcd|c"), "abcd"), Some((0, 4)));
        assert_eq!(find(&ere("x*"), "abc"), Some((0, 0)));
        assert_eq!(find(&ere("a{2,3}"), "aaaa"), Some((0, 3)));
        assert_eq!(find(&ere("a{2}"), "a"), None);
        assert_eq!(find(&ere("(ab){1,}c"), "xababc"), Some((1, 6)));
        assert_eq!(find(&ere("a{,2}b"), "aaab"), Some((1, 4)));
    }

    #[test]
    fn brackets_and_classes() {
        let re = ere("^[[:alpha:]_][[:alnum:]_]*=[^[:space:]]+$");
        assert!(re.is_match("server_id=100") && !re.is_match("1x=2") && !re.is_match("a= b"));
        assert!(ere("[]a]").is_match("]") && ere("[^]a]").is_match("b"));
        assert!(ere("[a-]").is_match("-") && !ere("[a-c]").is_match("d"));
        assert!(ere("[[.-.]]").is_match("-") && ere("[[:digit:][:upper:]]").is_match("Q"));
        assert!(ere(r"\w+\s\W").is_match("ab_1 ."));
        assert!(ere(r"\bweb\b").is_match("a web.") && !ere(r"\<web\>").is_match("webs"));
    }

    #[test]
    fn basic_syntax_as_gnu_reads_it() {
        assert!(bre(r"^\(Name\|Replicas\):").is_match("Replicas: 2"));
        assert!(bre("a|b").is_match("a|b") && !bre("a|b").is_match("a"));
        assert!(
            bre(r"a\+").is_match("aa") && bre("a+").is_match("a+") && !bre("a+").is_match("aa")
        );
        assert!(bre("*a").is_match("*a") && bre("^*a").is_match("*a"));
        assert!(bre(r"a\{2\}").is_match("aa") && bre("a{2}").is_match("a{2}"));
        assert!(bre("a$b").is_match("a$b") && bre("x^").is_match("x^"));
        assert_eq!(bre(r"\(a\)\(b\)").groups(), 2);
        assert!(ere(r"a\|b").is_match("a|b") && ere("a)b").is_match("a)b"));
    }

    #[test]
    fn options_fold_case_take_text_literally_and_want_whole_words() {
        let options = |fixed, ignore_case, whole_words| Options {
            extended: true,
            fixed,
            ignore_case,
            whole_words,
        };
        let re = Regex::new("web-[a-c]", options(false, true, false)).unwrap();
        assert!(re.is_match("WEB-B") && !re.is_match("WEB-D"));
        let negated = Regex::new("[^a]", options(false, true, false)).unwrap();
        assert!(!negated.is_match("A"));
        let fixed = Regex::new("a.b(", options(true, false, false)).unwrap();
        assert!(fixed.is_match("xa.b(") && !fixed.is_match("axb("));
        let word = Regex::new("web-1", options(false, false, true)).unwrap();
        assert!(word.is_match("web-1 0/1") && !word.is_match("web-10 1/1"));
    }

    #[test]
    fn errors_are_glibcs() {
        let error = |pattern: &str, extended: bool| {
            Regex::new(
                pattern,
                Options {
                    extended,
                    ..Options::default()
                },
            )
            .unwrap_err()
        };
        assert_eq!(error("(", true), "Unmatched ( or \\(");
        assert_eq!(error(r"\(a", false), "Unmatched ( or \\(");
        assert_eq!(error(r"a\)", false), "Unmatched ) or \\)");
        assert_eq!(error("[a", true), "Unmatched [, [^, [:, [., or [=");
        assert_eq!(error("[[:nope:]]", true), "Invalid character class name");
        assert_eq!(error("[z-a]", true), "Invalid range end");
        assert_eq!(error("a\\", true), "Trailing backslash");
        assert_eq!(error(r"a\{2", false), "Unmatched \\{");
        assert_eq!(error(r"a\{3,2\}", false), "Invalid content of \\{\\}");
        assert_eq!(
            error("a{1,30000}{1,30000}", true),
            "Regular expression too big"
        );
        assert_eq!(error(&"(".repeat(500), true), "Regular expression too big");
        assert!(error(r"(a)\1", true).contains("back-references"));
        // An extended `{` that starts no interval is a literal.
        assert!(ere("a{x").is_match("a{x") && ere("a{1").is_match("a{1"));
    }

    #[test]
    fn corners_of_the_syntax() {
        assert!(ere("a**").is_match("aaa") && ere("x{0}y").is_match("y"));
        same_groups("(|a)b()", "ab", &["ab", "a", ""]);
        assert!(bre(r"\(^a\)").is_match("ab") && !bre(r"\(^a\)").is_match("ba"));
        assert!(ere("x|^b").is_match("bc") && !ere("x|^b").is_match("cb"));
        same_groups("(é+)ü", "aééü", &["ééü", "éé"]);
        // A group repeated keeps what its last round matched.
        same_groups("(a|b)+", "abba", &["abba", "a"]);
    }

    #[test]
    fn matching_time_stays_linear() {
        // Nested and repeated stars make a backtracking matcher exponential.
        let text = "a".repeat(5_000);
        assert!(!ere("(a*)*b").is_match(&text));
        assert!(!ere(&format!("{}b", "a*".repeat(30))).is_match(&text));
        assert!(ere("(a|aa)+$").is_match(&text));
    }
}
