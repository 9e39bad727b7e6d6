//! CEL, the language of ValidatingAdmissionPolicy, through the `cel` crate: compiling with the
//! checks that can be made before any object is seen (syntax, names, the result type where it
//! is decidable, size), and evaluating with a bound on the work one evaluation may do.
//!
//! The crate has no cost model and no step hook, so the bound is ours: an expression's work is
//! estimated from its syntax tree with `n`, the longest list or map in the data it is given
//! (every comprehension runs its body at most `n` times), and an evaluation whose estimate is
//! over [`COST_LIMIT`] is not run. The functions that can make a value larger than their inputs
//! several times over (`replace`, `format`, `lists.range`) are not offered.

use super::fields_read::FieldsRead;
use super::shared_value::Variable;
use ::cel::common::ast::{ComprehensionExpr, EntryExpr, Expr, IdedExpr, LiteralValue};
use ::cel::common::types::{CelBool, CelString};
pub use ::cel::Value;
use ::cel::{Context, Env, Program};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

/// The longest expression accepted, in bytes.
pub const MAX_SOURCE: usize = 4096;
/// How deeply brackets may nest in the source, checked before parsing.
pub const MAX_BRACKET_DEPTH: usize = 24;
/// How deep the syntax tree may be, and how many nodes it may have.
pub const MAX_TREE_DEPTH: usize = 48;
pub const MAX_NODES: usize = 1000;
/// The most estimated steps one evaluation may take.
pub const COST_LIMIT: u64 = 1_000_000;
/// Every expression must stay under [`COST_LIMIT`] on data with lists this long, or it is
/// refused at load: a workload has a few containers, a few dozen env vars and labels.
pub const LOAD_COST_ITEMS: u64 = 50;

/// What the expression evaluates to, as far as its syntax says.
#[derive(Clone, Debug, PartialEq)]
enum Ty {
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Map,
    List(Box<Ty>),
    /// Only the data decides.
    Dyn,
}

impl Ty {
    fn name(&self) -> String {
        match self {
            Ty::Bool => "a bool".into(),
            Ty::Int => "an int".into(),
            Ty::Uint => "a uint".into(),
            Ty::Double => "a double".into(),
            Ty::String => "a string".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Null => "null".into(),
            Ty::Map => "a map".into(),
            Ty::List(e) => match **e {
                Ty::Dyn => "a list".into(),
                ref t => format!("a list of {}", t.plural()),
            },
            Ty::Dyn => "a value".into(),
        }
    }

    fn plural(&self) -> &'static str {
        match self {
            Ty::Bool => "bools",
            Ty::Int | Ty::Uint => "integers",
            Ty::Double => "doubles",
            Ty::String => "strings",
            Ty::Bytes => "bytes",
            Ty::Null => "nulls",
            Ty::Map => "maps",
            Ty::List(_) => "lists",
            Ty::Dyn => "values",
        }
    }
}

/// An expression that cannot be used, and where: `line` and `column` (1-based, in characters)
/// point into the expression's own text.
#[derive(Clone, Debug, PartialEq)]
pub struct CompileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl CompileError {
    fn at(line: usize, column: usize, message: impl Into<String>) -> CompileError {
        CompileError {
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
        }
    }

    /// The message, then the expression's line and a caret under the column.
    pub fn render(&self, source: &str) -> String {
        let line = source.lines().nth(self.line - 1).unwrap_or("");
        // One character per column, whatever it is, so the caret lands under it.
        let shown: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        format!(
            "{}\n  | {}\n  | {}^",
            self.message,
            shown.trim_end(),
            " ".repeat(self.column - 1)
        )
    }
}

/// The variables an expression may name, and which of them shipshape cannot give a value.
pub struct Variables {
    pub known: &'static [&'static str],
    /// Named by a ValidatingAdmissionPolicy, but not evaluable here (`params`, `authorizer`).
    pub unsupported: &'static [&'static str],
}

/// The variables of a custom check.
pub const CHECK_VARIABLES: Variables = Variables {
    known: &["object", "namespaceObject", "podSpec", "containers"],
    unsupported: &[],
};

/// What an expression must return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A check: a bool, or a list of strings (the failing items).
    Check,
    /// A condition: a bool.
    Bool,
    /// Anything (a policy's variable, a message expression).
    Any,
}

/// What makes an otherwise valid expression one shipshape cannot evaluate (a
/// ValidatingAdmissionPolicy's `params`, a Kubernetes CEL library).
#[derive(Clone, Debug, PartialEq)]
pub struct Unsupported(pub String);

/// What of its variables an expression reads, so that an activation converts only that:
/// `object` whole or some of its top-level fields, and each other variable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// `object` itself (passed whole, or a field other than those below).
    pub object: bool,
    pub metadata: bool,
    pub spec: bool,
    /// The pod template in `object.spec` (`template`, `jobTemplate`), or the spec passed whole:
    /// without it, the spec is converted without its template.
    pub spec_template: bool,
    pub status: bool,
    pub namespace_object: bool,
    pub pod_spec: bool,
    pub containers: bool,
    pub request: bool,
    pub old_object: bool,
    pub variables: bool,
    /// The fields of the pod spec and its containers it may read.
    pub fields: FieldsRead,
}

impl Needs {
    /// Everything: what an activation converts when nothing is known of the expressions.
    pub const ALL: Needs = Needs {
        object: true,
        metadata: true,
        spec: true,
        spec_template: true,
        status: true,
        namespace_object: true,
        pod_spec: true,
        containers: true,
        request: true,
        old_object: true,
        variables: true,
        fields: FieldsRead::WHOLE,
    };

    pub fn union(self, o: Needs) -> Needs {
        Needs {
            object: self.object || o.object,
            metadata: self.metadata || o.metadata,
            spec: self.spec || o.spec,
            spec_template: self.spec_template || o.spec_template,
            status: self.status || o.status,
            namespace_object: self.namespace_object || o.namespace_object,
            pod_spec: self.pod_spec || o.pod_spec,
            containers: self.containers || o.containers,
            request: self.request || o.request,
            old_object: self.old_object || o.old_object,
            variables: self.variables || o.variables,
            fields: self.fields.union(o.fields),
        }
    }

    /// Whether the namespace's object is all that is read: every workload of a namespace then
    /// gets the same outcome.
    pub fn only_namespace_object(self) -> bool {
        self == Needs {
            namespace_object: true,
            fields: self.fields,
            ..Needs::default()
        }
    }

    /// Whether `object` is read at all.
    pub fn any_object(self) -> bool {
        self.object || self.metadata || self.spec || self.status
    }

    /// The names of the variables read, as bound in an activation.
    fn names(self) -> impl Iterator<Item = &'static str> {
        [
            (self.any_object(), "object"),
            (self.namespace_object, "namespaceObject"),
            (self.pod_spec, "podSpec"),
            (self.containers, "containers"),
            (self.request, "request"),
            (self.old_object, "oldObject"),
            (self.variables, "variables"),
        ]
        .into_iter()
        .filter_map(|(read, name)| read.then_some(name))
    }

    fn note_variable(&mut self, name: &str) {
        match name {
            "object" => self.object = true,
            "namespaceObject" => self.namespace_object = true,
            "podSpec" => self.pod_spec = true,
            "containers" => self.containers = true,
            "request" => self.request = true,
            "oldObject" => self.old_object = true,
            "variables" => self.variables = true,
            _ => {}
        }
    }

    fn note_object_field(&mut self, field: &str) {
        match field {
            "metadata" => self.metadata = true,
            "spec" => self.spec = true,
            "status" => self.status = true,
            // Always in the converted object, whichever of its fields are: the smallest
            // conversion that binds `object` at all is its metadata.
            "apiVersion" | "kind" => self.metadata = true,
            _ => self.object = true,
        }
    }
}

/// A compiled expression, ready to evaluate on any number of subjects.
pub struct Expression {
    program: Program,
    pub source: String,
    /// What it reads.
    needs: Needs,
    result: Ty,
    /// The longest list in the data for which the estimate stays within [`COST_LIMIT`].
    max_items: u64,
    /// Set when the expression names something shipshape cannot evaluate.
    pub unsupported: Option<Unsupported>,
}

impl std::fmt::Debug for Expression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expression")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The environment every expression is compiled and run in: CEL's standard library and its
/// strings extension (as Kubernetes offers), without time types.
pub fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        env.add_extension(cel::extensions::strings)
            .expect("the strings extension registers once");
        ::cel::add_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>, id = "matches")
            .expect("matches registers once");
        ::cel::add_member_overload!(env, fn matches: (CelString, CelString) -> Result<CelBool>)
            .expect("matches registers once");
        Arc::new(env)
    })
    .clone()
}

/// The most patterns [`matches`] keeps compiled on one thread.
const MAX_PATTERNS: usize = 256;

/// CEL's `matches` (RE2 syntax), with each pattern compiled once per thread and kept: CEL's
/// standard library compiles the pattern on every call, which made a check calling it the
/// slowest of all on every workload.
fn matches(
    this: &CelString<'_>,
    pattern: &CelString<'_>,
) -> Result<CelBool, ::cel::ExecutionError> {
    thread_local! {
        static COMPILED: RefCell<std::collections::HashMap<String, Result<regex::Regex, String>>> =
            RefCell::new(std::collections::HashMap::new());
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if !compiled.contains_key(pattern.inner()) {
            if compiled.len() >= MAX_PATTERNS {
                compiled.clear();
            }
            let re = regex::Regex::new(pattern.inner()).map_err(|e| e.to_string());
            compiled.insert(pattern.inner().to_string(), re);
        }
        match &compiled[pattern.inner()] {
            Ok(re) => Ok(CelBool::from(re.is_match(this.inner()))),
            Err(why) => Err(::cel::ExecutionError::FunctionError {
                function: "matches".to_string(),
                message: format!("'{}' not a valid regex:\n{why}", pattern.inner()),
            }),
        }
    })
}

/// Functions a check may call: CEL's standard library and the strings extension, less those
/// that can multiply the size of a value (`replace`, `format`).
const FUNCTIONS: &[&str] = &[
    "size",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "type",
    "dyn",
    "matches",
    "contains",
    "startsWith",
    "endsWith",
    "charAt",
    "indexOf",
    "lastIndexOf",
    "lowerAscii",
    "upperAscii",
    "join",
    "split",
    "substring",
    "trim",
];

/// Functions Kubernetes offers to admission policies that this environment lacks, named so a
/// policy using them is reported as unsupported rather than broken.
const KUBERNETES_FUNCTIONS: &[&str] = &[
    "replace",
    "format",
    "quantity",
    "isQuantity",
    "url",
    "isURL",
    "ip",
    "isIP",
    "cidr",
    "isCIDR",
    "isSorted",
    "sum",
    "min",
    "max",
    "reverse",
    "sort",
    "flatten",
    "distinct",
    "duration",
    "timestamp",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getFullYear",
    "getMonth",
    "getDayOfWeek",
    "getDayOfMonth",
    "getDayOfYear",
    "getMilliseconds",
    "getDate",
    "quote",
    "strings.quote",
    "lists.range",
    "base64.encode",
    "base64.decode",
    "semver",
    "isSemver",
    "format.named",
    "jsonpatch.escapeKey",
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "orValue",
    "hasValue",
    "value",
    "or",
];

fn is_operator(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('@') || name.starts_with("!_") || name == "-_"
}

/// Whether the source nests brackets deeper than [`MAX_BRACKET_DEPTH`], outside string
/// literals: checked before the parser, which recurses once per level.
fn bracket_depth_exceeded(source: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some((line, column));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Compiles `source` for `variables`. A syntax error, an unknown variable or function, a
/// result that is neither a bool nor a list of strings (where the syntax decides it), or an
/// expression too large or too costly is an error; a name shipshape knows but cannot evaluate
/// (`params`, a Kubernetes library) compiles, marked [`Expression::unsupported`].
pub fn compile(
    source: &str,
    variables: &Variables,
    expect: Expect,
) -> Result<Expression, CompileError> {
    if source.trim().is_empty() {
        return Err(CompileError::at(1, 1, "the expression is empty"));
    }
    if source.len() > MAX_SOURCE {
        return Err(CompileError::at(
            1,
            1,
            format!(
                "the expression is {} bytes long; at most {MAX_SOURCE} are accepted",
                source.len()
            ),
        ));
    }
    if let Some((line, column)) = bracket_depth_exceeded(source) {
        return Err(CompileError::at(
            line,
            column,
            format!("brackets nest more than {MAX_BRACKET_DEPTH} deep"),
        ));
    }
    let program = env().compile(source).map_err(|e| {
        let first = e.errors.first();
        let (line, column) = first.map_or((1, 1), |e| {
            (e.pos.0.max(1) as usize, e.pos.1.max(1) as usize)
        });
        CompileError::at(
            line,
            column,
            format!(
                "syntax error: {}",
                first.map_or("the expression does not parse".to_string(), |e| e
                    .msg
                    .clone())
            ),
        )
    })?;
    // The node's byte offset, as a line and a column in characters. A call's offset is its
    // opening parenthesis: the column is moved back to the function's name.
    let position = |id: u64, node: &Expr| -> (usize, usize) {
        let start = program
            .source_info()
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize);
        let mut end = start.min(source.len());
        if let Expr::Call(call) = node {
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            if source[..end].ends_with(call.func_name.as_str()) {
                end -= call.func_name.len();
            }
        }
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let before = &source[..end];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, column)
    };
    let root = program.expression();
    let mut walk = Walk {
        variables,
        bound: Vec::new(),
        nodes: 0,
        problem: None,
        unsupported: None,
        needs: Needs::default(),
        object_field: false,
        spec_field: false,
    };
    walk.visit(root, 1);
    if let Some((id, node, message)) = walk.problem {
        // What a variable shipshape cannot provide offers (`authorizer.check(…)`) is no error.
        if walk.unsupported.is_none() || !message.starts_with("undeclared function") {
            let (line, column) = position(id, &node);
            return Err(CompileError::at(line, column, message));
        }
    }
    let result = infer(root, &mut Vec::new());
    let acceptable = match (&result, expect) {
        (_, Expect::Any) | (Ty::Bool | Ty::Dyn, _) => true,
        (Ty::List(e), Expect::Check) => matches!(**e, Ty::String | Ty::Dyn),
        _ => false,
    };
    if !acceptable {
        let (line, column) = position(root.id, &root.expr);
        let wanted = match expect {
            Expect::Bool => "a bool",
            _ => "a bool (pass or fail) or a list of strings (the failing items)",
        };
        return Err(CompileError::at(
            line,
            column,
            format!(
                "the expression returns {}; it must return {wanted}",
                result.name()
            ),
        ));
    }
    let max_items = max_items_within_limit(root);
    if max_items < LOAD_COST_ITEMS {
        let (line, column) = position(root.id, &root.expr);
        return Err(CompileError::at(
            line,
            column,
            format!(
                "the expression may take more than {COST_LIMIT} steps on a workload with \
                 {LOAD_COST_ITEMS}-item lists; nest fewer comprehensions"
            ),
        ));
    }
    Ok(Expression {
        source: source.to_string(),
        needs: Needs {
            fields: FieldsRead::of(root),
            ..walk.needs
        },
        result,
        max_items,
        unsupported: walk.unsupported,
        program,
    })
}

struct Walk<'a> {
    variables: &'a Variables,
    /// Comprehension variables in scope.
    bound: Vec<String>,
    nodes: usize,
    problem: Option<(u64, Expr, String)>,
    unsupported: Option<Unsupported>,
    /// The variables read, and which fields of `object`.
    needs: Needs,
    /// The identifier about to be visited is the operand of a field selection.
    object_field: bool,
    /// The `object.spec` about to be visited is the operand of a field selection.
    spec_field: bool,
}

impl Walk<'_> {
    fn fail(&mut self, e: &IdedExpr, message: String) {
        if self.problem.is_none() {
            // Only the call's name is needed to place it, not its arguments.
            let node = match &e.expr {
                Expr::Call(call) => Expr::Call(::cel::common::ast::CallExpr {
                    func_name: call.func_name.clone(),
                    target: None,
                    args: Vec::new(),
                }),
                _ => Expr::Unspecified,
            };
            self.problem = Some((e.id, node, message));
        }
    }

    fn unsupported(&mut self, what: String) {
        if self.unsupported.is_none() {
            self.unsupported = Some(Unsupported(what));
        }
    }

    fn visit(&mut self, e: &IdedExpr, depth: usize) {
        if self
            .problem
            .as_ref()
            .is_some_and(|p| !p.2.starts_with("undeclared function"))
        {
            return;
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return self.fail(e, format!("the expression has more than {MAX_NODES} terms"));
        }
        if depth > MAX_TREE_DEPTH {
            return self.fail(
                e,
                format!("the expression nests more than {MAX_TREE_DEPTH} terms deep"),
            );
        }
        match &e.expr {
            Expr::Unspecified | Expr::Literal(_) => {}
            Expr::Ident(name) => {
                let selected = std::mem::take(&mut self.object_field);
                let bound = self.bound.iter().any(|b| b == name);
                if !bound && (!selected || name != "object") {
                    self.needs.note_variable(name);
                }
                if bound || self.variables.known.contains(&name.as_str()) {
                } else if self.variables.unsupported.contains(&name.as_str()) {
                    self.unsupported(format!("it reads `{name}`, which shipshape cannot provide"));
                } else {
                    let known = self.variables.known.join(", ");
                    self.fail(
                        e,
                        format!("undeclared reference to `{name}` (the variables are {known})"),
                    );
                }
            }
            Expr::Select(s) => {
                let object_unbound = !self.bound.iter().any(|b| b == "object");
                let on_object =
                    matches!(&s.operand.expr, Expr::Ident(n) if n == "object") && object_unbound;
                let on_spec = object_unbound
                    && matches!(&s.operand.expr, Expr::Select(o)
                        if o.field == "spec"
                            && matches!(&o.operand.expr, Expr::Ident(n) if n == "object"));
                if on_object {
                    self.needs.note_object_field(&s.field);
                    self.object_field = true;
                    // `object.spec` itself, not one of its fields, reads the template too.
                    let field_selected = std::mem::take(&mut self.spec_field);
                    if s.field == "spec" && !field_selected {
                        self.needs.spec_template = true;
                    }
                }
                if on_spec {
                    self.spec_field = true;
                    if s.field == "template" || s.field == "jobTemplate" {
                        self.needs.spec_template = true;
                    }
                }
                self.visit(&s.operand, depth + 1)
            }
            Expr::Call(call) => {
                let name = call.func_name.as_str();
                if !is_operator(name) && !FUNCTIONS.contains(&name) {
                    // A qualified name that starts with a variable was parsed as a call on it.
                    if KUBERNETES_FUNCTIONS.contains(&name) {
                        self.unsupported(format!(
                            "it calls `{name}`, which shipshape's CEL does not offer"
                        ));
                    } else {
                        self.fail(e, format!("undeclared function `{name}`"));
                    }
                }
                if let Some(t) = &call.target {
                    self.visit(t, depth + 1);
                }
                for a in &call.args {
                    self.visit(a, depth + 1);
                }
            }
            Expr::Comprehension(c) => {
                self.visit(&c.iter_range, depth + 1);
                self.visit(&c.accu_init, depth + 1);
                self.bound.push(c.iter_var.clone());
                if let Some(v) = &c.iter_var2 {
                    self.bound.push(v.clone());
                }
                self.bound.push(c.accu_var.clone());
                self.visit(&c.loop_cond, depth + 1);
                self.visit(&c.loop_step, depth + 1);
                self.visit(&c.result, depth + 1);
                self.bound.pop();
                if c.iter_var2.is_some() {
                    self.bound.pop();
                }
                self.bound.pop();
            }
            Expr::List(l) => {
                for x in &l.elements {
                    self.visit(x, depth + 1);
                }
            }
            Expr::Map(m) => {
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        self.visit(&me.key, depth + 1);
                        self.visit(&me.value, depth + 1);
                    }
                }
            }
            Expr::Struct(s) => self.fail(
                e,
                format!(
                    "message construction `{}{{…}}` is not supported",
                    s.type_name
                ),
            ),
        }
    }
}

/// The result type as far as the syntax decides it; `accus` holds the comprehension
/// accumulators in scope with their initial values' types.
fn infer(e: &IdedExpr, accus: &mut Vec<(String, Ty)>) -> Ty {
    match &e.expr {
        Expr::Literal(l) => match l {
            LiteralValue::Boolean(_) => Ty::Bool,
            LiteralValue::Bytes(_) => Ty::Bytes,
            LiteralValue::Double(_) => Ty::Double,
            LiteralValue::Int(_) => Ty::Int,
            LiteralValue::Null => Ty::Null,
            LiteralValue::String(_) => Ty::String,
            LiteralValue::UInt(_) => Ty::Uint,
        },
        Expr::Ident(name) => accus
            .iter()
            .rev()
            .find(|(a, _)| a == name)
            .map_or(Ty::Dyn, |(_, t)| t.clone()),
        Expr::Select(s) if s.test => Ty::Bool,
        Expr::Select(_) | Expr::Unspecified | Expr::Struct(_) => Ty::Dyn,
        Expr::Map(_) => Ty::Map,
        Expr::List(l) => {
            let mut elems = l.elements.iter().map(|x| infer(x, accus));
            let first = elems.next().unwrap_or(Ty::Dyn);
            if elems.all(|t| t == first) {
                Ty::List(Box::new(first))
            } else {
                Ty::List(Box::new(Ty::Dyn))
            }
        }
        Expr::Comprehension(c) => infer_comprehension(c, accus),
        Expr::Call(call) => {
            let args: Vec<Ty> = call.args.iter().map(|a| infer(a, accus)).collect();
            match call.func_name.as_str() {
                "_==_"
                | "_!=_"
                | "_<_"
                | "_<=_"
                | "_>_"
                | "_>=_"
                | "_&&_"
                | "_||_"
                | "!_"
                | "@in"
                | "@not_strictly_false"
                | "matches"
                | "contains"
                | "startsWith"
                | "endsWith" => Ty::Bool,
                "size" | "indexOf" | "lastIndexOf" | "int" => Ty::Int,
                "uint" => Ty::Uint,
                "double" => Ty::Double,
                "string" | "lowerAscii" | "upperAscii" | "trim" | "substring" | "charAt"
                | "join" => Ty::String,
                "split" => Ty::List(Box::new(Ty::String)),
                "bool" => Ty::Bool,
                "_?_:_" => {
                    if args.len() == 3 && args[1] == args[2] {
                        args[1].clone()
                    } else if args.len() == 3 && is_list(&args[1]) && is_list(&args[2]) {
                        Ty::List(Box::new(Ty::Dyn))
                    } else {
                        Ty::Dyn
                    }
                }
                "_+_" => match (args.first(), args.get(1)) {
                    (Some(Ty::String), Some(Ty::String)) => Ty::String,
                    (Some(Ty::List(a)), Some(Ty::List(b))) => match (&**a, &**b) {
                        (x, y) if x == y => Ty::List(a.clone()),
                        // `[]` says nothing about the elements.
                        (Ty::Dyn, _) => Ty::List(b.clone()),
                        (_, Ty::Dyn) => Ty::List(a.clone()),
                        _ => Ty::List(Box::new(Ty::Dyn)),
                    },
                    (Some(Ty::Int), Some(Ty::Int)) => Ty::Int,
                    _ => Ty::Dyn,
                },
                "_-_" | "_*_" | "_/_" | "_%_" | "-_" => match args.first() {
                    Some(Ty::Int) => Ty::Int,
                    Some(Ty::Double) => Ty::Double,
                    _ => Ty::Dyn,
                },
                _ => Ty::Dyn,
            }
        }
    }
}

fn is_list(t: &Ty) -> bool {
    matches!(t, Ty::List(_))
}

fn infer_comprehension(c: &ComprehensionExpr, accus: &mut Vec<(String, Ty)>) -> Ty {
    let init = infer(&c.accu_init, accus);
    accus.push((c.accu_var.clone(), init.clone()));
    // `map` and `filter` start from `[]` and append: the step says what the elements are.
    let step = infer(&c.loop_step, accus);
    let accu = match (&init, &step) {
        (Ty::List(_), Ty::List(_)) => step,
        (Ty::List(_), _) => Ty::List(Box::new(Ty::Dyn)),
        _ => init,
    };
    accus.pop();
    accus.push((c.accu_var.clone(), accu));
    let result = infer(&c.result, accus);
    accus.pop();
    result
}

/// Estimated steps for `e` when every list and map in the data has at most `n` items: each
/// term is a step, a comprehension runs its condition and step once per item, and copying
/// the accumulated list counts an item per step.
fn cost(e: &IdedExpr, n: u64) -> u64 {
    let sum = |xs: &mut dyn Iterator<Item = &IdedExpr>| -> u64 {
        xs.fold(0u64, |acc, x| acc.saturating_add(cost(x, n)))
    };
    1u64.saturating_add(match &e.expr {
        Expr::Unspecified | Expr::Literal(_) | Expr::Ident(_) => 0,
        Expr::Select(s) => cost(&s.operand, n),
        Expr::Call(call) => {
            let own = sum(&mut call.target.iter().map(|t| &**t).chain(call.args.iter()));
            // These walk a whole list, map or string.
            let linear = matches!(
                call.func_name.as_str(),
                "@in" | "_+_" | "join" | "split" | "contains" | "matches"
            );
            if linear {
                own.saturating_add(n)
            } else {
                own
            }
        }
        Expr::Comprehension(c) => {
            // `map` and `filter` copy the list they build at every step: their step's `_+_`
            // counts it.
            let per_item = cost(&c.loop_cond, n).saturating_add(cost(&c.loop_step, n));
            cost(&c.iter_range, n)
                .saturating_add(cost(&c.accu_init, n))
                .saturating_add(cost(&c.result, n))
                .saturating_add(n.saturating_mul(per_item))
        }
        Expr::List(l) => sum(&mut l.elements.iter()),
        Expr::Map(m) => m.entries.iter().fold(0u64, |acc, entry| match &entry.expr {
            EntryExpr::MapEntry(me) => acc
                .saturating_add(cost(&me.key, n))
                .saturating_add(cost(&me.value, n)),
            EntryExpr::StructField(f) => acc.saturating_add(cost(&f.value, n)),
        }),
        Expr::Struct(_) => 0,
    })
}

/// The largest `n` (up to a million) for which [`cost`] stays within [`COST_LIMIT`].
fn max_items_within_limit(root: &IdedExpr) -> u64 {
    let (mut lo, mut hi) = (0u64, 1_000_000u64);
    if cost(root, hi) <= COST_LIMIT {
        return hi;
    }
    if cost(root, lo) > COST_LIMIT {
        return 0;
    }
    // Invariant: cost(lo) within the limit, cost(hi) over it.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if cost(root, mid) <= COST_LIMIT {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The outcome of one evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Pass,
    /// The failing items (empty for a bool expression that returned false).
    Fail(Vec<String>),
    /// Could not be judged, and why.
    Unknown(String),
}

/// Where a lazily bound variable's value comes from: asked once per name, the first time an
/// expression that reads it is evaluated; `None` leaves the name unbound.
pub type Source<'a> = Box<dyn Fn(&str) -> Option<Variable> + 'a>;

/// The variables for one subject, shared by every expression evaluated on it. Each is
/// converted once, and only when the first expression that reads it runs: a check that reads
/// `object.metadata` does not pay for converting the containers.
pub struct Activation<'a> {
    context: RefCell<Context<'static, 'static>>,
    /// The longest list or map in each bound variable (the most times a comprehension over it
    /// may run).
    items: RefCell<Vec<(String, u64)>>,
    /// The names `source` was asked for already.
    asked: RefCell<Vec<&'static str>>,
    source: Option<Source<'a>>,
}

impl<'a> Activation<'a> {
    /// An activation binding each `(name, value)` now.
    pub fn new(variables: Vec<(&str, Value)>) -> Activation<'a> {
        let mut a = Activation::lazy(None);
        for (name, value) in variables {
            a.bind(name, value);
        }
        a
    }

    /// An activation that asks `source` for a variable the first time an expression reads it.
    pub fn lazy(source: Option<Source<'a>>) -> Activation<'a> {
        Activation {
            context: RefCell::new(Context::with_env(env())),
            items: RefCell::new(Vec::new()),
            asked: RefCell::new(Vec::new()),
            source,
        }
    }

    /// Binds one variable now (a policy's `variables`, computed from the others), replacing
    /// what it was bound to.
    pub fn bind(&mut self, name: &str, value: Value) {
        let variable = Variable::from_value(value);
        let list = self.items.get_mut();
        list.retain(|(n, _)| n != name);
        list.push((name.to_string(), variable.items));
        self.context
            .get_mut()
            .add_variable_as_val(name, variable.val);
    }

    /// Binds what `needs` reads and is not bound yet; returns the longest list or map in it.
    fn prepare(&self, needs: Needs) -> u64 {
        for name in needs.names() {
            if self.asked.borrow().contains(&name) {
                continue;
            }
            self.asked.borrow_mut().push(name);
            let bound = self.items.borrow().iter().any(|(n, _)| n == name);
            if bound {
                continue;
            }
            if let Some(variable) = self.source.as_ref().and_then(|s| s(name)) {
                self.items
                    .borrow_mut()
                    .push((name.to_string(), variable.items));
                self.context
                    .borrow_mut()
                    .add_variable_as_val(name, variable.val);
            }
        }
        self.items
            .borrow()
            .iter()
            .filter(|(n, _)| needs.names().any(|name| name == n))
            .map(|(_, items)| *items)
            .max()
            .unwrap_or(0)
    }

    /// A JSON-shaped value (a Kubernetes object) as CEL sees it.
    pub fn value_of<T: serde::Serialize + ?Sized>(value: &T) -> Value {
        cel::to_value(value).unwrap_or(Value::Null)
    }
}

/// The longest message kept from the CEL runtime: its errors may quote values.
const MAX_ERROR: usize = 200;

impl Expression {
    /// Evaluates on one subject: a bool passes or fails, a list of strings fails naming its
    /// items (an empty list passes), anything else or a runtime error is unknown.
    pub fn evaluate(&self, activation: &Activation) -> Outcome {
        match self.value(activation) {
            Ok(Value::Bool(true)) => Outcome::Pass,
            Ok(Value::Bool(false)) => Outcome::Fail(Vec::new()),
            Ok(Value::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    match item {
                        Value::String(s) => out.push(s.to_string()),
                        other => {
                            return Outcome::Unknown(format!(
                                "the expression returned a list holding {}, not only strings",
                                type_name(other)
                            ))
                        }
                    }
                }
                if out.is_empty() {
                    Outcome::Pass
                } else {
                    Outcome::Fail(out)
                }
            }
            Ok(other) => Outcome::Unknown(format!(
                "the expression returned {}, not a bool or a list of strings",
                type_name(&other)
            )),
            Err(why) => Outcome::Unknown(why),
        }
    }

    /// The value on one subject, or why there is none: not evaluated (unsupported, or over
    /// the cost limit on this data), or the CEL runtime's error.
    pub fn value(&self, activation: &Activation) -> Result<Value, String> {
        if let Some(Unsupported(why)) = &self.unsupported {
            return Err(format!("not evaluated: {why}"));
        }
        let items = activation.prepare(self.needs);
        if items > self.max_items {
            return Err(format!(
                "not evaluated: on lists of {items} items the expression may take more than \
                 {COST_LIMIT} steps"
            ));
        }
        let context = activation.context.borrow();
        self.program.execute(&context).map_err(|e| {
            let mut message = e.to_string();
            if message.len() > MAX_ERROR {
                let mut cut = MAX_ERROR;
                while !message.is_char_boundary(cut) {
                    cut -= 1;
                }
                message.truncate(cut);
                message.push('…');
            }
            format!("evaluation failed: {message}")
        })
    }

    /// Whether the syntax says it returns a list (so a fail names items).
    pub fn returns_list(&self) -> bool {
        matches!(self.result, Ty::List(_))
    }

    /// The longest list this expression is evaluated on.
    pub fn max_items(&self) -> u64 {
        self.max_items
    }

    /// What of its variables it reads.
    pub fn needs(&self) -> Needs {
        self.needs
    }

    /// The names the expression reads at its top level (`object`, `podSpec`…).
    pub fn reads(&self) -> BTreeSet<String> {
        let refs = self.program.references();
        [
            "object",
            "namespaceObject",
            "podSpec",
            "containers",
            "params",
            "oldObject",
            "request",
        ]
        .iter()
        .filter(|v| refs.has_variable(**v))
        .map(|v| v.to_string())
        .collect()
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
        Value::Int(_) => "an int",
        Value::UInt(_) => "a uint",
        Value::Float(_) => "a double",
        Value::String(_) => "a string",
        Value::Bytes(_) => "bytes",
        Value::Bool(_) => "a bool",
        Value::Null => "null",
        _ => "a value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str) -> Result<Expression, CompileError> {
        compile(source, &CHECK_VARIABLES, Expect::Check)
    }

    fn run(source: &str, object: serde_json::Value) -> Outcome {
        let containers = object["spec"]["template"]["spec"]["containers"].clone();
        let activation = Activation::new(vec![
            ("object", Activation::value_of(&object)),
            ("namespaceObject", Value::Null),
            (
                "podSpec",
                Activation::value_of(&object["spec"]["template"]["spec"]),
            ),
            ("containers", Activation::value_of(&containers)),
        ]);
        check(source).unwrap().evaluate(&activation)
    }

    fn deployment() -> serde_json::Value {
        serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"team": "payments"}},
            "spec": {"template": {"spec": {"containers": [
                {"name": "app", "image": "docker.io/library/nginx:1.27"},
                {"name": "proxy", "image": "ghcr.io/acme/proxy:2"}
            ]}}}
        })
    }

    #[test]
    fn bools_pass_and_fail() {
        let d = deployment();
        assert_eq!(
            run("'team' in object.metadata.labels", d.clone()),
            Outcome::Pass
        );
        assert_eq!(
            run("'owner' in object.metadata.labels", d.clone()),
            Outcome::Fail(vec![])
        );
        assert_eq!(
            run(
                "podSpec.containers.all(c, c.image.startsWith('ghcr.io/'))",
                d
            ),
            Outcome::Fail(vec![])
        );
    }

    #[test]
    fn lists_name_the_failing_items_and_an_empty_list_passes() {
        let d = deployment();
        assert_eq!(
            run(
                "containers.filter(c, c.image.startsWith('docker.io/')).map(c, c.name)",
                d.clone()
            ),
            Outcome::Fail(vec!["app".to_string()])
        );
        assert_eq!(
            run(
                "containers.filter(c, c.image.startsWith('quay.io/')).map(c, c.name)",
                d
            ),
            Outcome::Pass
        );
    }

    #[test]
    fn a_runtime_error_is_unknown_with_the_cel_message() {
        let outcome = run("object.metadata.annotations['x'] == 'y'", deployment());
        let Outcome::Unknown(message) = outcome else {
            panic!("expected unknown, got {outcome:?}");
        };
        assert!(message.starts_with("evaluation failed: "), "{message}");
        assert!(message.contains("annotations"), "{message}");
    }

    #[test]
    fn a_result_of_the_wrong_type_at_run_time_is_unknown() {
        assert_eq!(
            run("object.metadata.name", deployment()),
            Outcome::Unknown(
                "the expression returned a string, not a bool or a list of strings".into()
            )
        );
        assert_eq!(
            run("containers.map(c, c)", deployment()),
            Outcome::Unknown(
                "the expression returned a list holding a map, not only strings".into()
            )
        );
    }

    #[test]
    fn syntax_errors_point_at_the_column() {
        let source = "has(object.metadata.labels) && 'team' in";
        let e = check(source).unwrap_err();
        assert_eq!((e.line, e.column), (1, 41));
        let rendered = e.render(source);
        let lines: Vec<&str> = rendered.lines().collect();
        assert!(lines[0].starts_with("syntax error: "), "{rendered}");
        assert_eq!(lines[1], "  | has(object.metadata.labels) && 'team' in");
        assert_eq!(lines[2], format!("  | {}^", " ".repeat(40)));
    }

    #[test]
    fn names_and_types_are_checked_at_load() {
        let e = check("objekt.metadata.name == 'x'").unwrap_err();
        assert_eq!(
            e.message,
            "undeclared reference to `objekt` (the variables are object, namespaceObject, podSpec, containers)"
        );
        assert_eq!((e.line, e.column), (1, 1));
        let e = check("size(containers) > 0 && frobnicate(object)").unwrap_err();
        assert_eq!(e.message, "undeclared function `frobnicate`");
        assert_eq!(e.column, 25);
        let e = check("size(containers)").unwrap_err();
        assert_eq!(
            e.message,
            "the expression returns an int; it must return a bool (pass or fail) or a list of strings (the failing items)"
        );
        let e = check("containers.map(c, size(c.name))").unwrap_err();
        assert!(
            e.message.contains("returns a list of integers"),
            "{}",
            e.message
        );
        // Whether a field holds a bool only the data says: accepted, judged at run time.
        assert!(check("object.spec.paused").is_ok());
        assert!(check("containers.map(c, c.name)").is_ok());
        assert!(check("[]").is_ok());
    }

    #[test]
    fn size_and_nesting_are_bounded_at_load() {
        let deep = format!("{}true{}", "(".repeat(30), ")".repeat(30));
        let e = check(&deep).unwrap_err();
        assert_eq!(e.message, "brackets nest more than 24 deep");
        assert_eq!((e.line, e.column), (1, 25));
        let long = format!("'{}' == ''", "a".repeat(MAX_SOURCE));
        assert!(check(&long).unwrap_err().message.contains("at most 4096"));
        let chain = format!("{} == 0", vec!["1"; 1500].join("+"));
        let e = check(&chain).unwrap_err();
        assert!(e.message.contains("more than"), "{}", e.message);
        // Three nested comprehensions over 50-item lists is 10^6 steps and more.
        let e = check(
            "containers.all(a, containers.all(b, containers.all(c, a.name != b.name || b.name != c.name)))",
        )
        .unwrap_err();
        assert!(
            e.message.contains("nest fewer comprehensions"),
            "{}",
            e.message
        );
        assert!(check("containers.all(a, containers.all(b, a == b || a.name != b.name))").is_ok());
    }

    #[test]
    fn the_cost_limit_holds_at_run_time_on_long_lists() {
        let expression = check(
            "containers.all(a, containers.exists(b, a.name == b.name && a.image != b.image))",
        )
        .unwrap();
        let bound = expression.max_items();
        assert!((100..1000).contains(&bound), "{bound}");
        let many = |n: u64| {
            let list: Vec<serde_json::Value> = (0..n)
                .map(|i| serde_json::json!({"name": format!("c{i}"), "image": "x"}))
                .collect();
            Activation::new(vec![
                ("object", Value::Null),
                ("namespaceObject", Value::Null),
                ("podSpec", Value::Null),
                ("containers", Activation::value_of(&list)),
            ])
        };
        // No two containers share a name: every `exists` is false.
        assert_eq!(expression.evaluate(&many(bound)), Outcome::Fail(vec![]));
        let over = expression.evaluate(&many(bound + 1));
        assert_eq!(
            over,
            Outcome::Unknown(format!(
                "not evaluated: on lists of {} items the expression may take more than 1000000 steps",
                bound + 1
            ))
        );
    }

    #[test]
    fn functions_that_multiply_sizes_are_not_offered() {
        let e = check("object.metadata.name.replace('', object.metadata.name) == ''").unwrap();
        assert_eq!(
            e.unsupported,
            Some(Unsupported(
                "it calls `replace`, which shipshape's CEL does not offer".into()
            ))
        );
        let policy = compile(
            "params.x == object.y",
            &crate::policy::vap::POLICY_VARIABLES,
            Expect::Bool,
        )
        .unwrap();
        assert_eq!(
            policy.unsupported,
            Some(Unsupported(
                "it reads `params`, which shipshape cannot provide".into()
            ))
        );
    }

    /// Every function the checks may call is one the environment has: calling it with no
    /// arguments finds no overload, rather than no function.
    #[test]
    fn the_offered_functions_exist() {
        let env = env();
        for name in FUNCTIONS {
            let declared = [
                format!("{name}()"),
                format!("''.{name}()"),
                format!("[].{name}()"),
            ]
            .iter()
            .any(|call| {
                let program = env.compile(call).unwrap();
                let context = Context::with_env(env.clone());
                program.execute(&context).is_ok_and(|_| true)
                    || !program
                        .execute(&context)
                        .unwrap_err()
                        .to_string()
                        .contains("Undeclared reference")
            });
            assert!(declared, "{name} is not declared");
        }
        let program = env.compile("frobnicate()").unwrap();
        let err = program
            .execute(&Context::with_env(env.clone()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Undeclared reference"), "{err}");
    }
    #[test]
    fn what_an_expression_reads_is_known_at_load() {
        let needs = |source: &str| check(source).unwrap().needs();
        let n = needs("has(object.metadata.labels) && 'team' in object.metadata.labels");
        assert_eq!(
            n,
            Needs {
                metadata: true,
                fields: n.fields,
                ..Needs::default()
            }
        );
        // Of the metadata, only the labels.
        assert!(n.fields.keeps("labels") && !n.fields.keeps("annotations"));
        let n = needs("has(object.spec.replicas) && containers.all(c, has(c.resources))");
        assert_eq!(
            n,
            Needs {
                spec: true,
                containers: true,
                fields: n.fields,
                ..Needs::default()
            }
        );
        // Of the containers, only the fields named.
        assert!(n.fields.keeps("resources") && !n.fields.keeps("env"));
        // The spec's pod template only when it is read, or the spec is passed whole.
        for (source, template) in [
            ("object.spec.replicas > 1", false),
            ("has(object.spec.template.spec.hostNetwork)", true),
            ("object.spec.jobTemplate.spec.backoffLimit > 1", true),
            ("size(object.spec) > 1", true),
            ("object.spec == null || object.spec.replicas > 1", true),
            (
                "[object.spec.replicas, object.metadata.name].size() == 2",
                false,
            ),
        ] {
            let n = needs(source);
            assert!(n.spec, "{source}");
            assert_eq!(n.spec_template, template, "{source}");
        }
        // `object` passed whole, or a field other than metadata, spec and status: all of it.
        assert!(needs("object.metadata.name == object.extra").object);
        assert!(needs("[object].size() == 1").object);
        // `kind` and `apiVersion` need `object` bound, no more than its metadata.
        assert_eq!(
            needs("object.kind == 'Deployment'"),
            Needs {
                metadata: true,
                ..Needs::default()
            }
        );
        // A comprehension's own `object` is not the variable.
        let n = needs("containers.exists(object, object.name == 'x')");
        assert!(!n.any_object() && n.containers, "{n:?}");
        assert!(needs("namespaceObject == null").namespace_object);
        assert!(needs("podSpec.hostNetwork").pod_spec);
    }

    #[test]
    fn an_activation_converts_a_variable_when_an_expression_first_reads_it() {
        let asked = std::rc::Rc::new(RefCell::new(Vec::<String>::new()));
        let log = asked.clone();
        let activation = Activation::lazy(Some(Box::new(move |name| {
            log.borrow_mut().push(name.to_string());
            Some(match name {
                "object" => Variable::of(&deployment()),
                "containers" => {
                    Variable::of(&deployment()["spec"]["template"]["spec"]["containers"])
                }
                _ => Variable::null(),
            })
        })));
        let labels = check("'team' in object.metadata.labels").unwrap();
        assert_eq!(labels.evaluate(&activation), Outcome::Pass);
        assert_eq!(*asked.borrow(), ["object"]);
        assert_eq!(labels.evaluate(&activation), Outcome::Pass);
        assert_eq!(*asked.borrow(), ["object"], "converted once");
        let images =
            check("containers.filter(c, c.image.startsWith('docker.io/')).map(c, c.name)").unwrap();
        assert_eq!(
            images.evaluate(&activation),
            Outcome::Fail(vec!["app".to_string()])
        );
        assert_eq!(*asked.borrow(), ["object", "containers"]);
    }
}
