//! What the derives cannot say, written into the document: the rules the server holds a
//! request to, so that generated clients and contract fuzzers agree with it.

use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, AnyOfBuilder, ObjectBuilder, OneOfBuilder, Schema,
    SchemaType, Type,
};
use utoipa::openapi::{OpenApi as OpenApiDoc, RefOr};

use crate::exec::{self, env};

/// A string without NUL bytes (execve cannot pass one).
const NO_NUL: &str = "^[^\\u0000]*$";

/// `ExecRequest`: exactly one of `command` (with `shell` if any), `argv`, or `code` with
/// `language`. A `null` member counts as absent, as the server reads it, so each branch
/// requires its own members as non-null and allows the others only as `null` or missing:
/// the branches exclude each other. `argv[0]` (the program) is non-empty; `env` names
/// follow [`env::valid_name`]; `language` is one of the names `exec::interp` knows.
pub(super) fn exec_request_rules(doc: &mut OpenApiDoc) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(mut base))) = components.schemas.get("ExecRequest").cloned()
    else {
        return;
    };
    let string = || ObjectBuilder::new().schema_type(Type::String);
    if let Some(RefOr::T(Schema::Array(argv))) = base.properties.get_mut("argv") {
        argv.prefix_items = vec![string().min_length(Some(1)).pattern(Some(NO_NUL)).into()];
        argv.items = utoipa::openapi::schema::ArrayItems::RefOrSchema(Box::new(
            string().pattern(Some(NO_NUL)).into(),
        ));
    }
    if let Some(RefOr::T(Schema::Object(language))) = base.properties.get_mut("language") {
        let names = crate::exec::interp::accepted_names()
            .into_iter()
            .map(Into::into);
        language.enum_values = Some(names.chain([serde_json::Value::Null]).collect());
    }
    for name in ["command", "code"] {
        if let Some(RefOr::T(Schema::Object(text))) = base.properties.get_mut(name) {
            text.pattern = Some(NO_NUL.to_string());
        }
    }
    if let Some(RefOr::T(Schema::Object(env))) = base.properties.get_mut("env") {
        env.property_names = Some(Box::new(
            string().pattern(Some(env::NAME_PATTERN)).build().into(),
        ));
        env.additional_properties = Some(Box::new(AdditionalProperties::RefOr(RefOr::T(
            string().pattern(Some(NO_NUL)).into(),
        ))));
    }
    let branch = |title: &str, given: &[(&str, Type)], absent: &[&str]| {
        let mut b = ObjectBuilder::new().title(Some(title));
        for (name, ty) in given {
            b = b
                .required(*name)
                .property(*name, ObjectBuilder::new().schema_type(ty.clone()));
        }
        for name in absent {
            b = b.property(*name, ObjectBuilder::new().schema_type(Type::Null));
        }
        b.build()
    };
    let one_of = OneOfBuilder::new()
        .item(branch(
            "command",
            &[("command", Type::String)],
            &["argv", "code", "language"],
        ))
        .item(branch(
            "argv",
            &[("argv", Type::Array)],
            &["command", "shell", "code", "language"],
        ))
        .item(branch(
            "code",
            &[("code", Type::String), ("language", Type::String)],
            &["command", "shell", "argv"],
        ))
        .build();
    let combined = AllOfBuilder::new()
        .item(Schema::Object(base))
        .item(Schema::OneOf(one_of))
        .build();
    components
        .schemas
        .insert("ExecRequest".to_string(), RefOr::T(Schema::AllOf(combined)));
}

/// `AnalyzeRequest`: `signal` is a number or a name as runCommand reports it, and at least
/// one of `exitCode` and `signal` is given (a step killed by a signal has no exit code).
pub(super) fn analyze_request_rules(doc: &mut OpenApiDoc) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let Some(RefOr::T(Schema::Object(mut base))) =
        components.schemas.get("AnalyzeRequest").cloned()
    else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(signal))) = base.properties.get("signal").cloned() {
        let names = (1..=exec::SIGNAL_MAX).map(|n| exec::signal_name(n).into());
        let one_of = OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(exec::SIGNAL_MAX)),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(names.collect::<Vec<serde_json::Value>>())),
            )
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .description(signal.description)
            .build();
        base.properties
            .insert("signal".to_string(), RefOr::T(Schema::OneOf(one_of)));
    }
    let given = |name: &str, ty: SchemaType| {
        ObjectBuilder::new()
            .required(name)
            .property(name, ObjectBuilder::new().schema_type(ty))
    };
    let any_of = AnyOfBuilder::new()
        .item(given("exitCode", SchemaType::Type(Type::Integer)))
        .item(given(
            "signal",
            SchemaType::Array(vec![Type::Integer, Type::String]),
        ))
        .build();
    let combined = AllOfBuilder::new()
        .item(Schema::Object(base))
        .item(Schema::AnyOf(any_of))
        .build();
    components.schemas.insert(
        "AnalyzeRequest".to_string(),
        RefOr::T(Schema::AllOf(combined)),
    );
}
