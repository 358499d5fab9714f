//! The SQL a MySQL 5.7 client sends, as far as the Kubernetes tutorials and
//! a learner's first steps go: statements split at `;`, tokenized and parsed
//! into [`Statement`]s, with the server's error for what does not parse.

use std::fmt;

/// A server error, printed by the client as `ERROR 1146 (42S02): …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlError {
    pub code: u16,
    pub state: &'static str,
    pub message: String,
}

impl SqlError {
    pub fn new(code: u16, state: &'static str, message: impl Into<String>) -> SqlError {
        SqlError {
            code,
            state,
            message: message.into(),
        }
    }

    /// ER_PARSE_ERROR, quoting the text from where parsing failed as MySQL does.
    fn syntax(near: &str) -> SqlError {
        let near: String = near.chars().take(80).collect();
        SqlError::new(
            1064,
            "42000",
            format!("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '{near}' at line 1"),
        )
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ERROR {} ({}): {}", self.code, self.state, self.message)
    }
}

/// A value written in a statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Number(String),
    Text(String),
    Null,
}

/// What a SELECT lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Literal(Literal),
    /// `@@server_id`, `@@hostname`, `@@read_only`, …
    Variable(String),
    /// `NOW()`, `VERSION()`, `DATABASE()`, `COUNT(*)`.
    Function(String),
    Star,
    Column(String),
}

/// A comparison a WHERE clause makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A WHERE clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Compare {
        column: String,
        op: Op,
        value: Literal,
    },
    Like {
        column: String,
        pattern: String,
        negated: bool,
    },
    Null {
        column: String,
        negated: bool,
    },
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
}

impl Condition {
    /// Whether a row of a table with these columns meets it; MySQL's
    /// default collation compares text without regard to case.
    pub fn holds(&self, columns: &[String], row: &[Option<String>]) -> Result<bool, SqlError> {
        let value = |column: &str| -> Result<Option<&str>, SqlError> {
            let at = columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(column))
                .ok_or_else(|| {
                    SqlError::new(
                        1054,
                        "42S22",
                        format!("Unknown column '{column}' in 'where clause'"),
                    )
                })?;
            Ok(row.get(at).and_then(|v| v.as_deref()))
        };
        Ok(match self {
            Condition::And(a, b) => a.holds(columns, row)? && b.holds(columns, row)?,
            Condition::Or(a, b) => a.holds(columns, row)? || b.holds(columns, row)?,
            Condition::Null { column, negated } => value(column)?.is_none() != *negated,
            Condition::Like {
                column,
                pattern,
                negated,
            } => value(column)?
                .is_some_and(|v| like(&v.to_lowercase(), &pattern.to_lowercase()) != *negated),
            Condition::Compare {
                column,
                op,
                value: literal,
            } => {
                let (Some(left), Literal::Number(right) | Literal::Text(right)) =
                    (value(column)?, literal)
                else {
                    return Ok(false);
                };
                let order = match (left.parse::<f64>(), right.parse::<f64>()) {
                    (Ok(a), Ok(b)) if matches!(literal, Literal::Number(_)) => a.partial_cmp(&b),
                    _ => Some(left.to_lowercase().cmp(&right.to_lowercase())),
                };
                let Some(order) = order else {
                    return Ok(false);
                };
                match op {
                    Op::Eq => order.is_eq(),
                    Op::Ne => order.is_ne(),
                    Op::Lt => order.is_lt(),
                    Op::Le => order.is_le(),
                    Op::Gt => order.is_gt(),
                    Op::Ge => order.is_ge(),
                }
            }
        })
    }
}

/// SQL's LIKE: `%` any run of characters, `_` any one.
fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let pattern: Vec<char> = pattern.chars().collect();
    // ends[j]: whether the pattern's first j characters match the text so far.
    let mut ends = vec![false; pattern.len() + 1];
    ends[0] = true;
    for j in 1..=pattern.len() {
        ends[j] = ends[j - 1] && pattern[j - 1] == '%';
    }
    for c in text {
        let mut next = vec![false; pattern.len() + 1];
        for j in 1..=pattern.len() {
            next[j] = match pattern[j - 1] {
                '%' => next[j - 1] || ends[j],
                '_' => ends[j - 1],
                p => ends[j - 1] && p == c,
            };
        }
        ends = next;
    }
    ends[pattern.len()]
}

/// `db.table`, or `table` in the current database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableName {
    pub database: Option<String>,
    pub table: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Statement {
    Select {
        /// Each item with the text it was written as, the column's heading.
        items: Vec<(Item, String)>,
        from: Option<TableName>,
        filter: Option<Condition>,
        /// ORDER BY a column, descending or not.
        order: Option<(String, bool)>,
        limit: Option<usize>,
    },
    Update {
        name: TableName,
        set: Vec<(String, Literal)>,
        filter: Option<Condition>,
    },
    Delete {
        name: TableName,
        filter: Option<Condition>,
    },
    CreateDatabase {
        name: String,
        if_not_exists: bool,
    },
    DropDatabase {
        name: String,
        if_exists: bool,
    },
    CreateTable {
        name: TableName,
        columns: Vec<(String, String)>,
        if_not_exists: bool,
    },
    DropTable {
        name: TableName,
        if_exists: bool,
    },
    Insert {
        name: TableName,
        columns: Option<Vec<String>>,
        rows: Vec<Vec<Literal>>,
    },
    ShowDatabases,
    ShowMasterStatus,
    ShowSlaveStatus,
    ShowTables(Option<String>),
    Use(String),
    /// `CHANGE MASTER TO KEY=VALUE, …`
    ChangeMaster(Vec<(String, Literal)>),
    StartSlave,
    StopSlave,
}

impl Statement {
    /// Whether it changes data, which a read-only server refuses.
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Statement::CreateDatabase { .. }
                | Statement::DropDatabase { .. }
                | Statement::CreateTable { .. }
                | Statement::DropTable { .. }
                | Statement::Insert { .. }
                | Statement::Update { .. }
                | Statement::Delete { .. }
        )
    }
}

/// Splits a script at the `;`s outside quotes and comments: each
/// statement with the line it begins on; blank statements are dropped.
pub fn split(script: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut line, mut start) = (1, 1);
    let mut quote: Option<char> = None;
    let mut chars = script.chars().peekable();
    while let Some(c) = chars.next() {
        if current.trim().is_empty() {
            start = line;
        }
        if c == '\n' {
            line += 1;
        }
        match (quote, c) {
            (Some(_), '\\') => {
                current.push(c);
                if let Some(next) = chars.next() {
                    line += usize::from(next == '\n');
                    current.push(next);
                }
                continue;
            }
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, ';') => {
                out.push((start, std::mem::take(&mut current)));
                continue;
            }
            // `\G` ends a statement too, asking for its rows one field a line.
            (None, '\\') if matches!(chars.peek(), Some('G' | 'g')) => {
                let vertical = chars.next() == Some('G');
                if vertical {
                    current.push_str("\\G");
                }
                out.push((start, std::mem::take(&mut current)));
                continue;
            }
            (None, '#') => {
                skip_line(&mut chars, &mut line);
                continue;
            }
            (None, '-') if chars.peek() == Some(&'-') => {
                skip_line(&mut chars, &mut line);
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push((start, current));
    out.into_iter()
        .map(|(line, s)| (line, s.trim().to_string()))
        .filter(|(_, s)| !s.is_empty())
        .collect()
}

/// A comment runs to the end of its line.
fn skip_line(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, line: &mut usize) {
    for c in chars.by_ref() {
        if c == '\n' {
            *line += 1;
            break;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    /// A `backquoted` identifier.
    Quoted(String),
    Number(String),
    Text(String),
    Punct(char),
    /// `@@name`
    Variable(String),
}

/// Tokens with the byte offset each starts at, for syntax errors.
fn tokenize(text: &str) -> Result<Vec<(Tok, usize)>, SqlError> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = if c == '\'' || c == '"' || c == '`' {
            let mut value = String::new();
            i += 1;
            loop {
                let Some(&(_, d)) = chars.get(i) else {
                    return Err(SqlError::syntax(&text[at..]));
                };
                i += 1;
                if d == '\\' && c != '`' {
                    if let Some(&(_, e)) = chars.get(i) {
                        value.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            '0' => '\0',
                            other => other,
                        });
                        i += 1;
                    }
                } else if d == c {
                    if chars.get(i).is_some_and(|&(_, e)| e == c) {
                        value.push(c);
                        i += 1;
                    } else {
                        break;
                    }
                } else {
                    value.push(d);
                }
            }
            if c == '`' {
                Tok::Quoted(value)
            } else {
                Tok::Text(value)
            }
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|(_, d)| d.is_ascii_digit()))
        {
            i += 1;
            while chars
                .get(i)
                .is_some_and(|(_, d)| d.is_ascii_digit() || *d == '.')
            {
                i += 1;
            }
            Tok::Number(chars[start..i].iter().map(|(_, c)| c).collect())
        } else if c == '@' && chars.get(i + 1).is_some_and(|(_, d)| *d == '@') {
            i += 2;
            while chars
                .get(i)
                .is_some_and(|(_, d)| d.is_alphanumeric() || *d == '_' || *d == '.')
            {
                i += 1;
            }
            Tok::Variable(chars[start + 2..i].iter().map(|(_, c)| c).collect())
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            while chars
                .get(i)
                .is_some_and(|(_, d)| d.is_alphanumeric() || *d == '_' || *d == '$')
            {
                i += 1;
            }
            Tok::Word(chars[start..i].iter().map(|(_, c)| c).collect())
        } else {
            i += 1;
            Tok::Punct(c)
        };
        toks.push((tok, at));
    }
    Ok(toks)
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

/// Parses one statement (without its `;`).
pub fn parse(text: &str) -> Result<Statement, SqlError> {
    let mut parser = Parser {
        text,
        toks: tokenize(text)?,
        pos: 0,
    };
    let statement = parser.statement()?;
    if parser.pos < parser.toks.len() {
        return Err(parser.error());
    }
    Ok(statement)
}

impl Parser<'_> {
    fn error(&self) -> SqlError {
        let at = self.toks.get(self.pos).map_or(self.text.len(), |t| t.1);
        SqlError::syntax(&self.text[at..])
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }

    /// Takes the keyword `word` (any case) if it comes next.
    fn keyword(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word));
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, word: &str) -> Result<(), SqlError> {
        if self.keyword(word) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn punct(&mut self, c: char) -> bool {
        let found = self.peek() == Some(&Tok::Punct(c));
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect_punct(&mut self, c: char) -> Result<(), SqlError> {
        if self.punct(c) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn identifier(&mut self) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Tok::Word(w) | Tok::Quoted(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.error()),
        }
    }

    fn table_name(&mut self) -> Result<TableName, SqlError> {
        let first = self.identifier()?;
        if self.punct('.') {
            let table = self.identifier()?;
            return Ok(TableName {
                database: Some(first),
                table,
            });
        }
        Ok(TableName {
            database: None,
            table: first,
        })
    }

    fn if_exists(&mut self, not: bool) -> Result<bool, SqlError> {
        if !self.keyword("IF") {
            return Ok(false);
        }
        if not {
            self.expect("NOT")?;
        }
        self.expect("EXISTS")?;
        Ok(true)
    }

    fn literal(&mut self) -> Result<Literal, SqlError> {
        let literal = match self.peek().cloned() {
            Some(Tok::Number(n)) => Literal::Number(n),
            Some(Tok::Text(t)) => Literal::Text(t),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("NULL") => Literal::Null,
            _ => return Err(self.error()),
        };
        self.pos += 1;
        Ok(literal)
    }

    fn statement(&mut self) -> Result<Statement, SqlError> {
        if self.keyword("SELECT") {
            return self.select();
        }
        if self.keyword("CREATE") {
            if self.keyword("DATABASE") || self.keyword("SCHEMA") {
                let if_not_exists = self.if_exists(true)?;
                let name = self.identifier()?;
                return Ok(Statement::CreateDatabase {
                    name,
                    if_not_exists,
                });
            }
            self.expect("TABLE")?;
            let if_not_exists = self.if_exists(true)?;
            let name = self.table_name()?;
            return Ok(Statement::CreateTable {
                name,
                columns: self.columns()?,
                if_not_exists,
            });
        }
        if self.keyword("DROP") {
            if self.keyword("DATABASE") || self.keyword("SCHEMA") {
                let if_exists = self.if_exists(false)?;
                let name = self.identifier()?;
                return Ok(Statement::DropDatabase { name, if_exists });
            }
            self.expect("TABLE")?;
            let if_exists = self.if_exists(false)?;
            let name = self.table_name()?;
            return Ok(Statement::DropTable { name, if_exists });
        }
        if self.keyword("INSERT") {
            self.keyword("INTO");
            return self.insert();
        }
        if self.keyword("UPDATE") {
            return self.update();
        }
        if self.keyword("DELETE") {
            self.expect("FROM")?;
            let name = self.table_name()?;
            let filter = self.filter()?;
            return Ok(Statement::Delete { name, filter });
        }
        if self.keyword("SHOW") {
            if self.keyword("DATABASES") || self.keyword("SCHEMAS") {
                return Ok(Statement::ShowDatabases);
            }
            if self.keyword("MASTER") {
                self.expect("STATUS")?;
                return Ok(Statement::ShowMasterStatus);
            }
            if self.keyword("SLAVE") {
                self.expect("STATUS")?;
                return Ok(Statement::ShowSlaveStatus);
            }
            self.expect("TABLES")?;
            let database = if self.keyword("FROM") || self.keyword("IN") {
                Some(self.identifier()?)
            } else {
                None
            };
            return Ok(Statement::ShowTables(database));
        }
        if self.keyword("USE") {
            return Ok(Statement::Use(self.identifier()?));
        }
        if self.keyword("CHANGE") {
            self.expect("MASTER")?;
            self.expect("TO")?;
            let mut options = Vec::new();
            loop {
                let key = self.identifier()?.to_ascii_uppercase();
                self.expect_punct('=')?;
                options.push((key, self.literal()?));
                if !self.punct(',') {
                    break;
                }
            }
            return Ok(Statement::ChangeMaster(options));
        }
        if self.keyword("START") {
            self.expect("SLAVE")?;
            return Ok(Statement::StartSlave);
        }
        if self.keyword("STOP") {
            self.expect("SLAVE")?;
            return Ok(Statement::StopSlave);
        }
        Err(self.error())
    }

    fn select(&mut self) -> Result<Statement, SqlError> {
        let mut items = Vec::new();
        loop {
            let start = self.toks.get(self.pos).map_or(self.text.len(), |t| t.1);
            let item = match self.peek().cloned() {
                Some(Tok::Punct('*')) => {
                    self.pos += 1;
                    Item::Star
                }
                Some(Tok::Variable(name)) => {
                    self.pos += 1;
                    Item::Variable(name)
                }
                Some(Tok::Word(w))
                    if self.toks.get(self.pos + 1).map(|t| &t.0) == Some(&Tok::Punct('(')) =>
                {
                    self.pos += 2;
                    self.punct('*');
                    self.expect_punct(')')?;
                    Item::Function(w.to_ascii_uppercase())
                }
                Some(Tok::Word(w)) if !w.eq_ignore_ascii_case("NULL") => {
                    self.pos += 1;
                    Item::Column(w)
                }
                Some(Tok::Quoted(w)) => {
                    self.pos += 1;
                    Item::Column(w)
                }
                _ => Item::Literal(self.literal()?),
            };
            let end = self.toks.get(self.pos).map_or(self.text.len(), |t| t.1);
            let heading = match &item {
                Item::Literal(Literal::Text(t)) => t.clone(),
                _ => self.text[start..end].trim().to_string(),
            };
            items.push((item, heading));
            if !self.punct(',') {
                break;
            }
        }
        let from = if self.keyword("FROM") {
            Some(self.table_name()?)
        } else {
            None
        };
        let filter = if from.is_some() { self.filter()? } else { None };
        let order = if from.is_some() && self.keyword("ORDER") {
            self.expect("BY")?;
            let column = self.identifier()?;
            let descending = self.keyword("DESC");
            if !descending {
                self.keyword("ASC");
            }
            Some((column, descending))
        } else {
            None
        };
        let limit = if self.keyword("LIMIT") {
            match self.peek().cloned() {
                Some(Tok::Number(n)) if n.parse::<usize>().is_ok() => {
                    self.pos += 1;
                    n.parse().ok()
                }
                _ => return Err(self.error()),
            }
        } else {
            None
        };
        Ok(Statement::Select {
            items,
            from,
            filter,
            order,
            limit,
        })
    }

    /// `WHERE condition`, if one comes next.
    fn filter(&mut self) -> Result<Option<Condition>, SqlError> {
        if !self.keyword("WHERE") {
            return Ok(None);
        }
        self.disjunction().map(Some)
    }

    fn disjunction(&mut self) -> Result<Condition, SqlError> {
        let mut left = self.conjunction()?;
        while self.keyword("OR") {
            left = Condition::Or(Box::new(left), Box::new(self.conjunction()?));
        }
        Ok(left)
    }

    fn conjunction(&mut self) -> Result<Condition, SqlError> {
        let mut left = self.comparison()?;
        while self.keyword("AND") {
            left = Condition::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Condition, SqlError> {
        if self.punct('(') {
            let inner = self.disjunction()?;
            self.expect_punct(')')?;
            return Ok(inner);
        }
        let column = self.identifier()?;
        if self.keyword("IS") {
            let negated = self.keyword("NOT");
            self.expect("NULL")?;
            return Ok(Condition::Null { column, negated });
        }
        let negated = self.keyword("NOT");
        if self.keyword("LIKE") {
            let Literal::Text(pattern) = self.literal()? else {
                return Err(self.error());
            };
            return Ok(Condition::Like {
                column,
                pattern,
                negated,
            });
        }
        if negated {
            return Err(self.error());
        }
        let op = if self.punct('=') {
            Op::Eq
        } else if self.punct('!') {
            self.expect_punct('=')?;
            Op::Ne
        } else if self.punct('<') {
            if self.punct('=') {
                Op::Le
            } else if self.punct('>') {
                Op::Ne
            } else {
                Op::Lt
            }
        } else if self.punct('>') {
            if self.punct('=') {
                Op::Ge
            } else {
                Op::Gt
            }
        } else {
            return Err(self.error());
        };
        Ok(Condition::Compare {
            column,
            op,
            value: self.literal()?,
        })
    }

    fn update(&mut self) -> Result<Statement, SqlError> {
        let name = self.table_name()?;
        self.expect("SET")?;
        let mut set = Vec::new();
        loop {
            let column = self.identifier()?;
            self.expect_punct('=')?;
            set.push((column, self.literal()?));
            if !self.punct(',') {
                break;
            }
        }
        let filter = self.filter()?;
        Ok(Statement::Update { name, set, filter })
    }

    /// `(name TYPE [attributes…], …)`: each column's name and the rest as written.
    fn columns(&mut self) -> Result<Vec<(String, String)>, SqlError> {
        self.expect_punct('(')?;
        let mut columns = Vec::new();
        loop {
            let name = self.identifier()?;
            let start = self.toks.get(self.pos).map_or(self.text.len(), |t| t.1);
            let mut depth = 0;
            while let Some(tok) = self.peek() {
                match tok {
                    Tok::Punct('(') => depth += 1,
                    Tok::Punct(')') if depth == 0 => break,
                    Tok::Punct(')') => depth -= 1,
                    Tok::Punct(',') if depth == 0 => break,
                    _ => {}
                }
                self.pos += 1;
            }
            let end = self.toks.get(self.pos).map_or(self.text.len(), |t| t.1);
            let definition = self.text[start..end].trim().to_string();
            if definition.is_empty() {
                return Err(self.error());
            }
            columns.push((name, definition));
            if !self.punct(',') {
                break;
            }
        }
        self.expect_punct(')')?;
        Ok(columns)
    }

    fn insert(&mut self) -> Result<Statement, SqlError> {
        let name = self.table_name()?;
        let columns = if self.punct('(') {
            let mut names = vec![self.identifier()?];
            while self.punct(',') {
                names.push(self.identifier()?);
            }
            self.expect_punct(')')?;
            Some(names)
        } else {
            None
        };
        if !self.keyword("VALUES") {
            self.expect("VALUE")?;
        }
        let mut rows = Vec::new();
        loop {
            self.expect_punct('(')?;
            let mut row = vec![self.literal()?];
            while self.punct(',') {
                row.push(self.literal()?);
            }
            self.expect_punct(')')?;
            rows.push(row);
            if !self.punct(',') {
                break;
            }
        }
        Ok(Statement::Insert {
            name,
            columns,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorials_statements_parse() {
        let script = "CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('hello');\n";
        let statements = split(script);
        assert_eq!(
            statements.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let statements: Vec<Statement> = statements
            .iter()
            .map(|(_, s)| parse(s).expect("parses"))
            .collect();
        assert_eq!(
            statements[1],
            Statement::CreateTable {
                name: TableName {
                    database: Some("test".into()),
                    table: "messages".into()
                },
                columns: vec![("message".into(), "VARCHAR(250)".into())],
                if_not_exists: false,
            }
        );
        assert_eq!(
            statements[2],
            Statement::Insert {
                name: TableName {
                    database: Some("test".into()),
                    table: "messages".into()
                },
                columns: None,
                rows: vec![vec![Literal::Text("hello".into())]],
            }
        );
        let Statement::Select { items, from, .. } = parse("SELECT @@server_id,NOW()").unwrap()
        else {
            panic!("a select")
        };
        assert_eq!(from, None);
        assert_eq!(
            items[0],
            (Item::Variable("server_id".into()), "@@server_id".into())
        );
        assert_eq!(items[1], (Item::Function("NOW".into()), "NOW()".into()));
        let change = "CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000001', MASTER_LOG_POS=154, MASTER_HOST='mysql-0.mysql', MASTER_USER='root', MASTER_PASSWORD='', MASTER_CONNECT_RETRY=10";
        let Statement::ChangeMaster(options) = parse(change).unwrap() else {
            panic!("change master")
        };
        assert_eq!(
            options[1],
            ("MASTER_LOG_POS".into(), Literal::Number("154".into()))
        );
        assert_eq!(
            split("CHANGE MASTER TO MASTER_HOST='a;b'; START SLAVE;").len(),
            2
        );
    }

    #[test]
    fn where_clauses_compare_as_mysql_does() {
        let Statement::Select {
            filter,
            order,
            limit,
            ..
        } = parse(
            "SELECT * FROM t WHERE (n >= 2 AND s LIKE 'a_c%') OR s IS NULL ORDER BY n DESC LIMIT 3",
        )
        .unwrap()
        else {
            panic!("a select")
        };
        assert_eq!(order, Some(("n".to_string(), true)));
        assert_eq!(limit, Some(3));
        let filter = filter.expect("a where clause");
        let columns = ["n".to_string(), "s".to_string()];
        let row = |n: &str, s: Option<&str>| vec![Some(n.to_string()), s.map(str::to_string)];
        assert!(
            filter.holds(&columns, &row("10", Some("ABCdef"))).unwrap(),
            "numbers as numbers, text without case"
        );
        assert!(!filter.holds(&columns, &row("1", Some("abc"))).unwrap());
        assert!(filter.holds(&columns, &row("1", None)).unwrap());
        let Statement::Delete {
            filter: Some(unknown),
            ..
        } = parse("DELETE FROM t WHERE x <> 1").unwrap()
        else {
            panic!("a delete")
        };
        assert_eq!(
            unknown
                .holds(&columns, &row("1", None))
                .unwrap_err()
                .to_string(),
            "ERROR 1054 (42S22): Unknown column 'x' in 'where clause'"
        );
        assert!(like("hello", "h%l_o") && like("", "%") && !like("help", "h%o"));
    }

    #[test]
    fn errors_quote_the_text_from_where_parsing_failed() {
        assert_eq!(
            parse("SELEKT 1").unwrap_err().to_string(),
            "ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEKT 1' at line 1"
        );
        assert_eq!(
            parse("INSERT INTO t VALUES ('a'").unwrap_err().message,
            "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '' at line 1"
        );
    }
}
