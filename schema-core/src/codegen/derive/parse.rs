//! The struct of `#[derive(Schema)]` as parsed: the
//! [`StructSpec`](super::check::StructSpec) the checks
//! compare with its table, and the syntax each part came from, for the spans
//! of the errors.

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericArgument, LitStr, PathArguments, Type};

use super::check::FieldSpec;
use crate::codegen::{FieldType, PathSegment};

/// The struct as parsed: the spec for the engine and the syntax for spans.
pub(super) struct Parsed<'a> {
    pub(super) input: &'a DeriveInput,
    pub(super) table: Option<LitStr>,
    pub(super) schema: Option<LitStr>,
    pub(super) partial: bool,
    pub(super) fields: Vec<ParsedField<'a>>,
}

/// One field as parsed.
pub(super) struct ParsedField<'a> {
    pub(super) field: &'a syn::Field,
    pub(super) column: Option<LitStr>,
    /// The `T` of `Option<T>`, else the whole type.
    pub(super) value_ty: &'a Type,
    pub(super) spec: FieldSpec,
}

/// The attributes of a struct, for help texts.
const STRUCT_KEYS: &str =
    "`table = \"<table>\"`, `partial` and `schema = \"<path to schema.sql>\"`";

/// Reads the struct, its attributes and its fields; problems go to `errors`.
pub(super) fn parse<'a>(input: &'a DeriveInput, errors: &mut Vec<syn::Error>) -> Parsed<'a> {
    let mut parsed = Parsed {
        input,
        table: None,
        schema: None,
        partial: false,
        fields: Vec::new(),
    };
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let result = attr.parse_nested_meta(|meta| {
            let slot = if meta.path.is_ident("table") {
                &mut parsed.table
            } else if meta.path.is_ident("schema") {
                &mut parsed.schema
            } else if meta.path.is_ident("partial") {
                parsed.partial = true;
                return Ok(());
            } else if meta.path.is_ident("column") {
                return Err(meta.error(
                    "`column` goes on a field: `#[schema(column = \"<column>\")]`",
                ));
            } else {
                return Err(meta.error(format!(
                    "unknown `schema` attribute\nhelp: on a struct, the attributes are {STRUCT_KEYS}"
                )));
            };
            let value: LitStr = meta.value()?.parse()?;
            if slot.is_some() {
                return Err(meta.error("given twice"));
            }
            *slot = Some(value);
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named.named.iter().collect(),
            Fields::Unnamed(_) | Fields::Unit => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    "`#[derive(Schema)]` needs a struct with named fields, one per column",
                ));
                Vec::new()
            }
        },
        Data::Enum(_) | Data::Union(_) => {
            errors.push(syn::Error::new(
                input.ident.span(),
                "`#[derive(Schema)]` models a table with a struct with named fields, one per column",
            ));
            Vec::new()
        }
    };
    for field in fields {
        parsed.fields.push(parse_field(field, errors));
    }
    parsed
}

/// Reads a field and its attributes; problems go to `errors`.
fn parse_field<'a>(field: &'a syn::Field, errors: &mut Vec<syn::Error>) -> ParsedField<'a> {
    let mut column: Option<LitStr> = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let result = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("column") {
                return Err(meta.error(
                    "unknown `schema` attribute\nhelp: on a field, the attribute is `column = \"<column>\"`",
                ));
            }
            let value: LitStr = meta.value()?.parse()?;
            if column.is_some() {
                return Err(meta.error("given twice"));
            }
            column = Some(value);
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let ty = field_type(&field.ty);
    let value_ty = match ty.option_inner() {
        Some(_) => last_type_argument(&field.ty).unwrap_or(&field.ty),
        None => &field.ty,
    };
    let name = field
        .ident
        .as_ref()
        .map(|i| i.unraw().to_string())
        .unwrap_or_default();
    ParsedField {
        field,
        spec: FieldSpec {
            name,
            column: column.as_ref().map(LitStr::value),
            ty,
        },
        column,
        value_ty,
    }
}

/// The one type argument of a path type's last segment (`T` of `Option<T>`).
fn last_type_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// A field's type reduced to what the engine compares.
fn field_type(ty: &Type) -> FieldType {
    match ty {
        Type::Group(group) => field_type(&group.elem),
        Type::Paren(paren) => field_type(&paren.elem),
        Type::Path(path) if path.qself.is_none() => FieldType::Path(
            path.path
                .segments
                .iter()
                .map(|segment| PathSegment {
                    name: segment.ident.unraw().to_string(),
                    args: match &segment.arguments {
                        PathArguments::AngleBracketed(args) => args
                            .args
                            .iter()
                            .filter_map(|a| match a {
                                GenericArgument::Type(t) => Some(field_type(t)),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                })
                .collect(),
        ),
        other => FieldType::Other(compact(&other.to_token_stream().to_string())),
    }
}

/// Token text without the spaces `to_string` puts around punctuation:
/// `& 'a [u8 ; 4]` reads `&'a [u8; 4]`.
fn compact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            let glued_after = prev.is_some_and(|p| "<([&:".contains(p));
            let glued_before = next.is_some_and(|n| ">,;)]:<".contains(n));
            if glued_after || glued_before {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_types_are_reduced_to_paths() {
        let ty: Type = syn::parse_quote!(Option<::chrono::DateTime<chrono::Utc>>);
        assert_eq!(
            field_type(&ty).to_string(),
            "Option<chrono::DateTime<chrono::Utc>>"
        );
        let ty: Type = syn::parse_quote!(&'static [u8]);
        assert_eq!(field_type(&ty).to_string(), "&'static [u8]");
        let ty: Type = syn::parse_quote!((i32, [u8; 4]));
        assert_eq!(field_type(&ty).to_string(), "(i32, [u8; 4])");
    }
}
