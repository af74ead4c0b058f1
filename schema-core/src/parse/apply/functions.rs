//! Functions and procedures: `CREATE [OR REPLACE]`, `DROP`, `ALTER` and
//! `COMMENT ON`, as PostgreSQL 15 does them to the model (its refusals of
//! `OR REPLACE` included: a changed return type, a renamed argument, a
//! default removed).

use sqlparser::ast::DataType;
use sqlparser::tokenizer::Location;

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::depends::Reads;
use crate::model::function::{
    ArgMode, Argument, Body, Function, Parallel, Returns, RoutineKind, SIGNATURE_TYPES, Volatility,
    canonical_number, key_of, signature_type,
};
use crate::model::names::fold_ident;
use crate::model::privileges::AclKind;
use crate::model::types::TypeSpec;
use crate::model::{Directives, Expression, QualifiedName, SqlType};
use crate::parse::functions::{
    AlterAction, ArgSpec, CreateFunction, FunctionOption, FunctionStatement, ReturnsSpec,
    RoutineRef,
};

/// The attributes options set, before they are checked against the kind.
#[derive(Default)]
struct Attributes {
    language: Option<String>,
    body: Option<Body>,
    volatility: Volatility,
    strict: bool,
    security_definer: bool,
    leakproof: bool,
    parallel: Parallel,
    cost: Option<String>,
    rows: Option<String>,
    config: Vec<(String, String)>,
}

/// The default `COST` of a function in `language`.
fn default_cost(language: &str) -> &'static str {
    if matches!(language, "c" | "internal") {
        "1"
    } else {
        "100"
    }
}

impl Cx<'_> {
    /// Any statement about functions.
    pub(super) fn function_statement(&mut self, s: &FunctionStatement) -> Res<()> {
        match s {
            FunctionStatement::Create(cf) => self.create_function(cf),
            FunctionStatement::Drop {
                kind,
                if_exists,
                routines,
                cascade,
            } => {
                self.not_in_declarative(&format!("DROP {}", kind.keyword()))?;
                for r in routines {
                    self.drop_function(r, *kind, *if_exists, *cascade)?;
                }
                Ok(())
            }
            FunctionStatement::Alter { routine, action } => self.alter_function(routine, action),
            FunctionStatement::Comment { routine, comment } => {
                let Some(key) = self.find_function(routine, false)? else {
                    return Ok(());
                };
                if let Some(f) = self.schema.functions.get_mut(&key) {
                    f.comment.clone_from(comment);
                }
                Ok(())
            }
        }
    }

    /// A type of a signature, checked to exist (a table's row type counts).
    fn signature_type_of(&self, data_type: &DataType, at: Location) -> Res<SqlType> {
        let at = self.at_location(at);
        let text = data_type.to_string().to_ascii_lowercase();
        if let Some(t) = SIGNATURE_TYPES.iter().find(|t| **t == text) {
            return Ok(SqlType::Builtin(t));
        }
        let spec = TypeSpec::from_ast(data_type).map_err(|m| {
            Diagnostic::error(codes::SYNTAX, m)
                .at(&at)
                .help("write a PostgreSQL type")
        })?;
        if spec.serial {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!("`{data_type}` is not a type a function can take or return"),
            )
            .at(&at)
            .note("serial is a shorthand of column definitions, not a type")
            .help("write `integer` (or `bigint`, `smallint`)"));
        }
        let ty = signature_type(spec.ty);
        let mut inner = &ty;
        while let SqlType::Array(t) = inner {
            inner = t;
        }
        match inner {
            SqlType::Named(n) if self.schema.tables.contains_key(n) => Ok(ty),
            _ => {
                self.check_type_exists(&ty, &at)?;
                Ok(ty)
            }
        }
    }

    /// The arguments of a signature as the model keeps them.
    fn arguments(&self, specs: &[ArgSpec]) -> Res<Vec<Argument>> {
        let mut out: Vec<Argument> = Vec::with_capacity(specs.len());
        let mut after_default: Option<&ArgSpec> = None;
        for (i, spec) in specs.iter().enumerate() {
            let ty = self.signature_type_of(&spec.data_type, spec.type_at)?;
            let name = spec.name.as_ref().map(fold_ident);
            if let Some(n) = &name
                && out.iter().any(|a| a.name.as_ref() == Some(n))
            {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!("parameter name `{n}` used more than once"),
                )
                .at(&self.at_location(spec.at))
                .help("give each argument its own name"));
            }
            if spec.mode == ArgMode::Variadic {
                if !matches!(ty, SqlType::Array(_)) {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        "VARIADIC parameter must be an array",
                    )
                    .at(&self.at_location(spec.type_at))
                    .help("write an array type: `VARIADIC xs integer[]`"));
                }
                if specs[i + 1..].iter().any(|s| s.mode.is_input()) {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        "VARIADIC parameter must be the last input parameter",
                    )
                    .at(&self.at_location(spec.at))
                    .help("move it after the other input arguments"));
                }
            }
            let default = match &spec.default {
                Some((e, at)) => {
                    if !spec.mode.is_input() {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            "only input parameters can have default values",
                        )
                        .at(&self.at_location(*at))
                        .help("remove the default of this OUT argument"));
                    }
                    after_default = Some(spec);
                    Some(Expression::from_ast(e))
                }
                None => {
                    if spec.mode.is_input()
                        && let Some(previous) = after_default
                    {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            "input parameters after one with a default value must also have defaults",
                        )
                        .at(&self.at_location(spec.at))
                        .related(&self.at_location(previous.at), "this one has a default")
                        .help("give this argument a default too, or move it before the ones with defaults"));
                    }
                    None
                }
            };
            out.push(Argument {
                mode: spec.mode,
                name,
                ty,
                default,
            });
        }
        Ok(out)
    }

    /// The options of `CREATE` (or `ALTER`, onto `into`) applied in order; a
    /// clause written twice is refused, as PostgreSQL refuses it.
    fn apply_options(
        &self,
        kind: RoutineKind,
        options: &[(FunctionOption, Location)],
        into: &mut Attributes,
    ) -> Res<()> {
        let mut seen: Vec<&'static str> = Vec::new();
        for (option, at) in options {
            let origin = self.at_location(*at);
            let clause = option.clause();
            if !matches!(option, FunctionOption::Set(..) | FunctionOption::Reset(_)) {
                if seen.contains(&clause) {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("conflicting or redundant options: `{clause}` is given twice"),
                    )
                    .at(&origin)
                    .help("keep one"));
                }
                seen.push(clause);
            }
            let procedure_refuses = kind == RoutineKind::Procedure
                && !matches!(
                    option,
                    FunctionOption::Language(_)
                        | FunctionOption::Body(_)
                        | FunctionOption::Return(_)
                        | FunctionOption::SecurityDefiner(_)
                        | FunctionOption::Set(..)
                        | FunctionOption::Reset(_)
                );
            if procedure_refuses {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    format!("invalid attribute in procedure definition: `{clause}`"),
                )
                .at(&origin)
                .help("a procedure takes LANGUAGE, SECURITY, SET and AS only: remove it"));
            }
            match option {
                FunctionOption::Language(l) => into.language = Some(l.clone()),
                FunctionOption::Body(b) => into.body = Some(Body::new(b.clone())),
                FunctionOption::Return(e) => {
                    into.body = Some(Body::returning(&Expression::from_ast(e)));
                }
                FunctionOption::Volatility(v) => into.volatility = *v,
                FunctionOption::Strict(s) => into.strict = *s,
                FunctionOption::SecurityDefiner(s) => into.security_definer = *s,
                FunctionOption::Leakproof(l) => into.leakproof = *l,
                FunctionOption::Parallel(p) => into.parallel = *p,
                FunctionOption::Cost(n) | FunctionOption::Rows(n) => {
                    let Some(value) = canonical_number(n).filter(|v| v != "0") else {
                        return Err(Diagnostic::error(
                            codes::SYNTAX,
                            format!("{clause} must be positive"),
                        )
                        .at(&origin)
                        .help("write a number greater than zero"));
                    };
                    if matches!(option, FunctionOption::Cost(_)) {
                        into.cost = Some(value);
                    } else {
                        into.rows = Some(value);
                    }
                }
                FunctionOption::Set(name, value) => {
                    match into.config.iter_mut().find(|(n, _)| n == name) {
                        Some(entry) => entry.1.clone_from(value),
                        None => into.config.push((name.clone(), value.clone())),
                    }
                }
                FunctionOption::Reset(None) => into.config.clear(),
                FunctionOption::Reset(Some(name)) => into.config.retain(|(n, _)| n != name),
            }
        }
        Ok(())
    }

    /// `CREATE [OR REPLACE] FUNCTION | PROCEDURE`.
    fn create_function(&mut self, cf: &CreateFunction) -> Res<()> {
        let what = cf.kind.describe();
        self.check_object_name(&cf.name, what)?;
        let name = self.name(&cf.name)?;
        let args = self.arguments(&cf.args)?;
        let outputs: Vec<&Argument> = args.iter().filter(|a| a.mode.is_output()).collect();
        let out_type = match outputs.as_slice() {
            [] => None,
            [one] => Some(one.ty.clone()),
            _ => Some(SqlType::Builtin("record")),
        };
        let returns = match (&cf.returns, cf.kind) {
            (Some((_, at)), RoutineKind::Procedure) => {
                return Err(Diagnostic::error(
                    codes::SYNTAX,
                    "a procedure returns nothing: `RETURNS` is not allowed here",
                )
                .at(&self.at_location(*at))
                .help("remove `RETURNS ...`, use OUT arguments, or create a function"));
            }
            (None, RoutineKind::Procedure) => None,
            (Some((ReturnsSpec::Table(columns), at)), _) => {
                if !outputs.is_empty() {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        "OUT and INOUT arguments aren't allowed in TABLE functions",
                    )
                    .at(&self.at_location(*at))
                    .help("list the result columns in `RETURNS TABLE (...)` only"));
                }
                let mut out = Vec::with_capacity(columns.len());
                for (ident, data_type, type_at) in columns {
                    out.push((
                        fold_ident(ident),
                        self.signature_type_of(data_type, *type_at)?,
                    ));
                }
                Some(Returns::Table(out))
            }
            (Some((ReturnsSpec::Type { setof, data_type }, at)), _) => {
                let ty = self.signature_type_of(data_type, *at)?;
                if let Some(expected) = &out_type
                    && *expected != ty
                {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!(
                            "function result type must be {expected} because of OUT parameters"
                        ),
                    )
                    .at(&self.at_location(*at))
                    .help(format!("write `RETURNS {expected}`, or leave RETURNS out")));
                }
                Some(Returns::Type { setof: *setof, ty })
            }
            (None, RoutineKind::Function) => match out_type {
                Some(ty) => Some(Returns::Type { setof: false, ty }),
                None => {
                    return Err(self
                        .err(codes::SYNTAX, "function result type must be specified")
                        .help("write `RETURNS type` (`RETURNS void` for none)"));
                }
            },
        };
        let mut attributes = Attributes::default();
        self.apply_options(cf.kind, &cf.options, &mut attributes)?;
        let Some(body) = attributes.body.take() else {
            return Err(self
                .err(codes::SYNTAX, "no function body specified")
                .help("write the body: `AS $$ ... $$`"));
        };
        // A SQL-standard body is in SQL, whatever LANGUAGE says or not.
        let language = match attributes.language.take() {
            Some(l) if body.is_standard() && l != "sql" => {
                return Err(self
                    .err(
                        codes::SYNTAX,
                        format!("a `RETURN` body is SQL: `LANGUAGE {l}` cannot take it"),
                    )
                    .help("write `LANGUAGE sql`, or the body as a string: `AS $$ ... $$`"));
            }
            Some(l) => l,
            None if body.is_standard() => "sql".to_string(),
            None => {
                return Err(self
                    .err(codes::SYNTAX, "no language specified")
                    .help("write `LANGUAGE sql` or `LANGUAGE plpgsql`"));
            }
        };
        let is_set = returns.as_ref().is_some_and(Returns::is_set);
        if attributes.rows.is_some() && !is_set {
            let at = self.at_words(&["ROWS"]).unwrap_or_else(|| self.origin());
            return Err(Diagnostic::error(
                codes::SYNTAX,
                "ROWS is not applicable when function does not return a set",
            )
            .at(&at)
            .help("remove `ROWS n`"));
        }
        let mut function = Function {
            name,
            kind: cf.kind,
            args,
            returns,
            body,
            volatility: attributes.volatility,
            strict: attributes.strict,
            security_definer: attributes.security_definer,
            leakproof: attributes.leakproof,
            parallel: attributes.parallel,
            cost: attributes.cost,
            rows: attributes.rows,
            config: attributes.config,
            comment: None,
            origin: self.at_name(&cf.name),
            directives: Directives(self.directives.clone()),
            language,
        };
        normalize_defaults(&mut function);
        let key = function.key();
        if let Some(old) = self.schema.functions.get(&key) {
            if !cf.or_replace {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!(
                        "{} `{}` already exists with same argument types",
                        old.kind.describe(),
                        old.signature()
                    ),
                )
                .at(&self.at_name(&cf.name))
                .related(&old.origin, "first created here")
                .help("write `CREATE OR REPLACE` to replace it, or choose another name or argument types"));
            }
            if let Some(reason) = old.replace_refusal(&function) {
                return Err(Diagnostic::error(codes::NOT_ALLOWED_HERE, reason)
                    .at(&self.at_name(&cf.name))
                    .related(&old.origin, "the existing one is created here")
                    .note("PostgreSQL refuses `CREATE OR REPLACE` here")
                    .help(format!(
                        "drop it first: `DROP {} {};`, then create it",
                        old.kind.keyword(),
                        old.signature()
                    )));
            }
            // `OR REPLACE` keeps the comment (and the owner, the grants).
            function.comment.clone_from(&old.comment);
        }
        self.schema.functions.insert(key, function);
        Ok(())
    }

    /// The key of the function `r` names; `None` when it does not exist and
    /// `if_exists` (PostgreSQL notices and goes on).
    fn find_function(&self, r: &RoutineRef, if_exists: bool) -> Res<Option<QualifiedName>> {
        self.find_routine(r, if_exists, false)
    }

    /// The key of the function or procedure `r` names (with `any_kind`,
    /// either kind, as `ROUTINE` names them); `None` when it does not exist
    /// and `if_exists`.
    pub(super) fn find_routine(
        &self,
        r: &RoutineRef,
        if_exists: bool,
        any_kind: bool,
    ) -> Res<Option<QualifiedName>> {
        let name = self.name(&r.name)?;
        let what = if any_kind {
            "routine"
        } else {
            r.kind.describe()
        };
        let mut wanted = None;
        let key = match &r.args {
            Some(specs) => {
                let mut types = Vec::new();
                for spec in specs.iter().filter(|s| s.mode.is_input()) {
                    types.push(self.signature_type_of(&spec.data_type, spec.type_at)?);
                }
                let key = key_of(&name, types.iter());
                wanted = Some(key.clone());
                self.schema.functions.contains_key(&key).then_some(key)
            }
            None => {
                let same: Vec<&QualifiedName> = self
                    .schema
                    .functions
                    .iter()
                    .filter(|(_, f)| f.name == name)
                    .map(|(k, _)| k)
                    .collect();
                if same.len() > 1 {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!("{what} name `{name}` is not unique"),
                    )
                    .at(&self.at_name(&r.name))
                    .help(format!(
                        "name its argument types: one of {}",
                        same.iter()
                            .map(|k| format!("`{}`", self.schema.functions[k].signature()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                same.first().map(|k| (*k).clone())
            }
        };
        let Some(key) = key else {
            if if_exists {
                return Ok(None);
            }
            let shown = match &r.args {
                // The types in their canonical spelling, as the key has them.
                Some(_) if wanted.is_some() => wanted.as_ref().map_or_else(String::new, |k| {
                    format!(
                        "{name}{}",
                        k.name.get(name.name.len()..).unwrap_or_default()
                    )
                }),
                Some(specs) => {
                    let types: Vec<String> = specs
                        .iter()
                        .filter(|s| s.mode.is_input())
                        .map(|s| s.data_type.to_string())
                        .collect();
                    format!("{name}({})", types.join(", "))
                }
                None => name.to_string(),
            };
            let others: Vec<String> = self
                .schema
                .functions
                .values()
                .filter(|f| f.name == name)
                .map(|f| format!("`{}`", f.signature()))
                .collect();
            let d = Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("{what} `{shown}` does not exist at this point"),
            )
            .at(&self.at_name(&r.name));
            let similar = crate::model::names::closest(
                &name.name,
                self.schema
                    .functions
                    .values()
                    .filter(|f| f.name.schema == name.schema)
                    .map(|f| f.name.name.as_str()),
            );
            return Err(
                if let (true, Some(similar)) = (others.is_empty(), similar) {
                    d.help(format!("did you mean `{similar}`?"))
                } else if others.is_empty() {
                    d.help(
                    "create it before this statement (statements apply in order), or write `IF EXISTS`",
                )
                } else {
                    d.help(format!("did you mean {}?", others.join(" or ")))
                },
            );
        };
        let found = &self.schema.functions[&key];
        if found.kind != r.kind && !any_kind {
            return Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("`{}` is not a {what}", found.signature()),
            )
            .at(&self.at_name(&r.name))
            .help(format!(
                "it is a {}: write `{} {}`",
                found.kind.describe(),
                found.kind.keyword(),
                found.signature()
            )));
        }
        Ok(Some(key))
    }

    /// What in the schema calls function `name` (column defaults, generated
    /// columns, checks, domains), described.
    fn function_users(&self, name: &QualifiedName) -> Vec<String> {
        let calls = |e: &Expression| Reads::of_sql(e.sql(), self.schema).functions.contains(name);
        let mut out = Vec::new();
        for t in self.schema.tables.values() {
            for c in &t.columns {
                if c.default.as_ref().is_some_and(calls)
                    || c.generated.as_deref().is_some_and(calls)
                {
                    out.push(format!("column `{}.{}`", t.name, c.name));
                }
            }
            for c in t.constraints.values() {
                if let crate::model::ConstraintKind::Check { expr } = &c.kind
                    && calls(expr)
                {
                    out.push(format!("constraint `{}` of `{}`", c.name, t.name));
                }
            }
        }
        for d in self.schema.domains.values() {
            if d.default.as_ref().is_some_and(calls) || d.checks.values().any(|c| calls(&c.expr)) {
                out.push(format!("domain `{}`", d.name));
            }
        }
        out
    }

    /// The keys of the functions whose signature uses type `name` (a
    /// table's row type included), or arrays of it.
    pub(super) fn functions_using_type(&self, name: &QualifiedName) -> Vec<QualifiedName> {
        use crate::model::mentions::uses_type;
        self.schema
            .functions
            .iter()
            .filter(|(_, f)| {
                f.args.iter().any(|a| uses_type(&a.ty, name))
                    || match &f.returns {
                        Some(Returns::Type { ty, .. }) => uses_type(ty, name),
                        Some(Returns::Table(columns)) => {
                            columns.iter().any(|(_, t)| uses_type(t, name))
                        }
                        None => false,
                    }
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// [`Self::functions_using_type`] in words (`function `f(t)``).
    pub(super) fn functions_using_type_described(&self, name: &QualifiedName) -> Vec<String> {
        self.functions_using_type(name)
            .iter()
            .map(|k| {
                let f = &self.schema.functions[k];
                format!("{} `{}`", f.kind.describe(), f.signature())
            })
            .collect()
    }

    /// `DROP ... CASCADE` of type (or table) `name`: the functions whose
    /// signature uses it go too, as PostgreSQL drops them.
    pub(super) fn drop_functions_using_type(&mut self, name: &QualifiedName) {
        for key in self.functions_using_type(name) {
            self.schema.functions.remove(&key);
        }
    }

    fn drop_function(
        &mut self,
        r: &RoutineRef,
        kind: RoutineKind,
        if_exists: bool,
        cascade: bool,
    ) -> Res<()> {
        let Some(key) = self.find_function(r, if_exists)? else {
            return Ok(());
        };
        let function = &self.schema.functions[&key];
        // Only a function of this name and no other overload may be what
        // an expression calls.
        let overloads = self
            .schema
            .functions
            .values()
            .filter(|f| f.name == function.name)
            .count();
        let users = if overloads == 1 {
            self.function_users(&function.name)
        } else {
            Vec::new()
        };
        if !users.is_empty() {
            let signature = function.signature();
            let d = if cascade {
                self.unsupported(format!(
                    "`DROP {} ... CASCADE` of `{signature}`, which {} use,",
                    kind.keyword(),
                    users.join(", ")
                ))
            } else {
                Diagnostic::error(
                    codes::NOT_ALLOWED_HERE,
                    format!(
                        "cannot drop {} `{signature}` because other objects depend on it: {}",
                        kind.describe(),
                        users.join(", ")
                    ),
                )
                .at(&self.at_name(&r.name))
                .help("change or drop what uses it first")
            };
            return Err(d);
        }
        self.schema.functions.remove(&key);
        Ok(())
    }

    fn alter_function(&mut self, r: &RoutineRef, action: &AlterAction) -> Res<()> {
        if !matches!(action, AlterAction::OwnerTo(_)) {
            self.not_in_declarative(&format!("ALTER {}", r.kind.keyword()))?;
        }
        let Some(key) = self.find_function(r, false)? else {
            return Ok(());
        };
        let mut function = self.schema.functions[&key].clone();
        match action {
            AlterAction::OwnerTo(owner) => {
                let kind = routine_acl_kind(function.kind);
                self.set_owner(kind, &key, owner.clone());
                return Ok(());
            }
            AlterAction::Rename(new) => {
                self.check_name(new, r.kind.describe())?;
                function.name = QualifiedName::new(function.name.schema.clone(), fold_ident(new));
            }
            AlterAction::SetSchema(schema) => {
                function.name = QualifiedName::new(fold_ident(schema), function.name.name.clone());
            }
            AlterAction::Options(options) => {
                let mut attributes = Attributes {
                    volatility: function.volatility,
                    strict: function.strict,
                    security_definer: function.security_definer,
                    leakproof: function.leakproof,
                    parallel: function.parallel,
                    cost: function.cost.clone(),
                    rows: function.rows.clone(),
                    config: function.config.clone(),
                    ..Attributes::default()
                };
                self.apply_options(r.kind, options, &mut attributes)?;
                let is_set = function.returns.as_ref().is_some_and(Returns::is_set);
                if attributes.rows.is_some() && !is_set {
                    return Err(self
                        .err(
                            codes::SYNTAX,
                            "ROWS is not applicable when function does not return a set",
                        )
                        .help("remove `ROWS n`"));
                }
                function.volatility = attributes.volatility;
                function.strict = attributes.strict;
                function.security_definer = attributes.security_definer;
                function.leakproof = attributes.leakproof;
                function.parallel = attributes.parallel;
                function.cost = attributes.cost;
                function.rows = attributes.rows;
                function.config = attributes.config;
                normalize_defaults(&mut function);
            }
        }
        let new_key = function.key();
        if new_key != key {
            if let Some(other) = self.schema.functions.get(&new_key) {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!(
                        "{} `{}` already exists",
                        other.kind.describe(),
                        other.signature()
                    ),
                )
                .at(&self.origin())
                .related(&other.origin, "created here")
                .help("choose another name"));
            }
            self.schema.functions.remove(&key);
            // Its grants and owner go with it (`RENAME TO`, `SET SCHEMA`).
            self.schema.rename_acl(&key, &new_key);
        }
        self.schema.functions.insert(new_key, function);
        Ok(())
    }
}

/// The kind of ACL a function or procedure has.
pub(super) fn routine_acl_kind(kind: crate::model::function::RoutineKind) -> AclKind {
    match kind {
        crate::model::function::RoutineKind::Function => AclKind::Function,
        crate::model::function::RoutineKind::Procedure => AclKind::Procedure,
    }
}

/// `COST` and `ROWS` at PostgreSQL's default are kept as `None`, as a live
/// database's are.
pub(crate) fn normalize_defaults(f: &mut Function) {
    if f.cost.as_deref() == Some(default_cost(&f.language)) {
        f.cost = None;
    }
    let is_set = f.returns.as_ref().is_some_and(Returns::is_set);
    if f.rows.as_deref() == Some("1000") && is_set {
        f.rows = None;
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Diagnostic;
    use crate::model::Schema;
    use crate::parse::parse_schema_str;

    fn errors(sql: &str) -> Vec<Diagnostic> {
        match parse_schema_str("schema.sql", sql) {
            Ok(_) => Vec::new(),
            Err(d) => d,
        }
    }

    fn schema(sql: &str) -> Schema {
        match parse_schema_str("schema.sql", sql) {
            Ok(s) => s,
            Err(d) => panic!("{}", crate::diagnostic::render_all(&d, false)),
        }
    }

    fn located(sql: &str, needle: &str) -> (u32, u32) {
        let d = errors(sql);
        let Some(first) = d.first() else {
            panic!("no error for {sql}");
        };
        assert!(
            first.message.contains(needle),
            "message `{}` lacks `{needle}`",
            first.message
        );
        let o = first.origin.as_ref().map(|o| (o.line, o.column));
        o.unwrap_or((0, 0))
    }

    #[test]
    fn a_function_is_keyed_by_its_input_types() {
        let s = schema(
            "CREATE FUNCTION add(a integer, INOUT b int4 DEFAULT 2, OUT c varchar(10)) LANGUAGE sql AS $$ SELECT a + b, 'x' $$;\n\
             CREATE PROCEDURE p(x text) LANGUAGE plpgsql AS $body$ BEGIN END $body$;",
        );
        let keys: Vec<String> = s.functions.keys().map(|k| k.name.clone()).collect();
        assert_eq!(keys, ["add(integer, integer)", "p(text)"]);
        let f = s.functions.values().next().map(|f| f.returns.clone());
        assert_eq!(
            f.flatten().map(|r| r.to_string()).as_deref(),
            Some("record")
        );
    }

    #[test]
    fn begin_atomic_is_refused_where_it_starts_and_return_bodies_are_read() {
        let sql = "CREATE TABLE t (id int PRIMARY KEY);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql\n  BEGIN ATOMIC SELECT 1; SELECT 2; END;\nCREATE TABLE u (id int PRIMARY KEY);";
        let d = errors(sql);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(located(sql, "BEGIN ATOMIC"), (3, 3));
        let s = schema("CREATE FUNCTION f(a int) RETURNS int\n  IMMUTABLE\n  RETURN a + 1;");
        let f = s.functions.values().next();
        assert_eq!(f.map(|f| f.language.as_str()), Some("sql"));
        assert_eq!(f.map(|f| f.body.text()), Some("RETURN a + 1"));
        let sql =
            "CREATE FUNCTION f(a int) RETURNS int\n  LANGUAGE sql AS 'SELECT 1'\n  RETURN a + 1;";
        assert_eq!(located(sql, "conflicting"), (3, 3));
    }

    #[test]
    fn unmodelled_clauses_are_refused_where_they_are() {
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql\n  SUPPORT my_support AS 'SELECT 1';";
        assert_eq!(located(sql, "SUPPORT"), (2, 3));
        let sql = "CREATE TABLE t (id int PRIMARY KEY);\nCREATE FUNCTION f(a t.id%TYPE) RETURNS int LANGUAGE sql AS 'SELECT 1';";
        assert_eq!(located(sql, "%TYPE"), (2, 25));
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE c\n  AS 'lib', 'sym';";
        assert_eq!(located(sql, "obj_file"), (2, 3));
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n  SET work_mem FROM CURRENT AS 'SELECT 1';";
        assert_eq!(located(sql, "FROM CURRENT"), (2, 16));
    }

    #[test]
    fn invalid_definitions_are_located() {
        let sql =
            "CREATE FUNCTION f(a int DEFAULT 1,\n  b int) RETURNS int LANGUAGE sql AS 'SELECT 1';";
        assert_eq!(located(sql, "must also have defaults"), (2, 3));
        let sql = "CREATE FUNCTION f() RETURNS int\n  LANGUAGE sql STABLE VOLATILE AS 'SELECT 1';";
        assert_eq!(located(sql, "conflicting"), (2, 23));
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n  ROWS 5 AS 'SELECT 1';";
        assert_eq!(located(sql, "ROWS"), (2, 3));
        let sql = "CREATE FUNCTION f(a nosuchtype) RETURNS int LANGUAGE sql AS 'SELECT 1';";
        assert_eq!(located(sql, "nosuchtype"), (1, 21));
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2';";
        assert_eq!(located(sql, "already exists"), (2, 17));
        let sql = "CREATE PROCEDURE p() LANGUAGE sql\n  IMMUTABLE AS 'SELECT 1';";
        assert_eq!(located(sql, "procedure"), (2, 3));
    }

    #[test]
    fn or_replace_follows_postgres_rules() {
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nCREATE OR REPLACE FUNCTION f(a int) RETURNS bigint LANGUAGE sql AS 'SELECT a::bigint';";
        assert_eq!(located(sql, "cannot change return type"), (2, 28));
        let sql = "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nCREATE OR REPLACE FUNCTION f(b int) RETURNS int LANGUAGE sql AS 'SELECT b';";
        assert_eq!(located(sql, "cannot change name"), (2, 28));
        let s = schema(
            "CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';\nCOMMENT ON FUNCTION f(int) IS 'kept';\nCREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql STABLE AS 'SELECT a + 1';",
        );
        let f = s.functions.values().next();
        assert_eq!(f.and_then(|f| f.comment.as_deref()), Some("kept"));
        assert_eq!(f.map(|f| f.body.text()), Some("SELECT a + 1"));
    }

    fn migrate(sql: &str) -> Result<Schema, Vec<Diagnostic>> {
        use crate::diagnostic::Source;
        use crate::parse::{Mode, apply::apply_file, parse_file};
        let (file, mut diagnostics) = parse_file(&Source::new("up.sql", sql));
        let mut schema = Schema::new();
        apply_file(&mut schema, &file, Mode::Migration, &mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            Err(diagnostics)
        } else {
            Ok(schema)
        }
    }

    fn migration_error(sql: &str, needle: &str) -> (u32, u32) {
        let d = match migrate(sql) {
            Ok(_) => panic!("no error for {sql}"),
            Err(d) => d,
        };
        assert!(
            d[0].message.contains(needle),
            "message `{}` lacks `{needle}`",
            d[0].message
        );
        d[0].origin.as_ref().map_or((0, 0), |o| (o.line, o.column))
    }

    #[test]
    fn replay_refuses_drops_postgres_refuses() {
        let f = "CREATE TABLE t (id int PRIMARY KEY, n int DEFAULT one());\n";
        let sql = format!(
            "CREATE FUNCTION one() RETURNS int LANGUAGE sql AS 'SELECT 1';\n{f}DROP FUNCTION one();"
        );
        assert_eq!(migration_error(&sql, "other objects depend on it"), (3, 15));
        let sql = "CREATE TABLE t (id int PRIMARY KEY);\nCREATE FUNCTION f(t) RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP TABLE t;";
        assert_eq!(migration_error(sql, "cannot drop table"), (3, 12));
        let s = migrate(
            "CREATE TABLE t (id int PRIMARY KEY);\nCREATE FUNCTION f(t) RETURNS int LANGUAGE sql AS 'SELECT 1';\nDROP TABLE t CASCADE;",
        );
        assert!(s.is_ok_and(|s| s.functions.is_empty()));
        let sql = "CREATE TYPE mood AS ENUM ('a');\nCREATE FUNCTION f() RETURNS mood LANGUAGE sql AS 'SELECT ''a''::mood';\nDROP TYPE mood;";
        assert_eq!(migration_error(sql, "cannot drop type"), (3, 11));
    }

    #[test]
    fn replay_names_functions_as_postgres_does() {
        let two = "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE FUNCTION f(text) RETURNS int LANGUAGE sql AS 'SELECT 1';\n";
        assert_eq!(
            migration_error(&format!("{two}DROP FUNCTION f;"), "not unique"),
            (3, 15)
        );
        assert_eq!(
            migration_error(&format!("{two}DROP FUNCTION f(bigint);"), "does not exist"),
            (3, 15)
        );
        assert_eq!(
            migration_error(
                &format!(
                    "{two}ALTER FUNCTION f(int) RENAME TO g;\nALTER FUNCTION f(text) RENAME TO g;\nALTER FUNCTION g(integer) SET SCHEMA public;\nCREATE FUNCTION h(int) RETURNS int LANGUAGE sql AS 'SELECT 1';\nALTER FUNCTION h(int) RENAME TO g;"
                ),
                "already exists"
            ),
            (7, 1)
        );
        assert_eq!(
            migration_error(
                &format!("{two}DROP PROCEDURE f(int);"),
                "is not a procedure"
            ),
            (3, 16)
        );
        let s = migrate(&format!("{two}DROP FUNCTION f(integer), f(varchar);"));
        assert!(s.is_err(), "f(character varying) does not exist");
        let s = migrate(&format!(
            "{two}DROP FUNCTION f(integer), f(text);\nDROP FUNCTION IF EXISTS f;"
        ));
        assert!(s.is_ok_and(|s| s.functions.is_empty()));
    }

    #[test]
    fn reads_names_of_the_body_and_types_of_the_signature() {
        let schema = match parse_schema_str(
            "schema.sql",
            "CREATE TYPE mood AS ENUM ('a');\n\
             CREATE TABLE items (id int PRIMARY KEY, label text);\n\
             CREATE TABLE other (id int PRIMARY KEY);\n\
             CREATE FUNCTION f(m mood, r other) RETURNS SETOF items LANGUAGE sql\n\
             AS $$ SELECT * FROM items WHERE label = helper(m::text) $$;",
        ) {
            Ok(s) => s,
            Err(d) => panic!("{d:?}"),
        };
        let Some(f) = schema.functions.values().next() else {
            panic!("no function");
        };
        let reads = f.reads(&schema);
        let names = |set: &std::collections::BTreeSet<crate::model::QualifiedName>| {
            set.iter().map(|n| n.name.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(&reads.relations), ["items", "other"]);
        assert_eq!(names(&reads.types), ["mood"]);
        assert_eq!(names(&reads.functions), ["helper"]);
        assert!(reads.columns.contains(&(
            crate::model::QualifiedName::public("items"),
            "label".to_string()
        )));
        assert!(f.body_reads_relation(&schema));
    }
}
