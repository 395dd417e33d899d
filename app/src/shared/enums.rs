//! One declaration gives an enum everything the portal needs of it: its string form (what the
//! database stores and forms send), parsing, the list of all values, the i18n key of its label,
//! and, on the server, its mapping to and from sqlx columns. A new value is one line; its label
//! must then exist in both languages (the i18n key test walks every labelled enum).

/// An enum declared with [`labelled_enum!`](crate::labelled_enum).
pub trait Labelled: Copy + 'static {
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    fn as_str(self) -> &'static str;
    /// The i18n key of the value's label, e.g. `status.in_review`.
    fn label_key(self) -> &'static str;
}

/// Declares an enum stored as text: `stored_enum! { pub enum OutboxStatus { Pending = "pending", … } }`
/// makes `ALL`, `as_str`, `parse`, `Display`, serde (as the string) and, with `ssr`, sqlx
/// `Type`/`Encode`/`Decode` for the `Any` driver. For values nobody reads a label of.
#[macro_export]
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text ),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        // JSON carries the same string form as the database and the forms.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                $name::parse(&text).ok_or_else(|| serde::de::Error::unknown_variant(&text, &[$($text),+]))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "ssr")]
        impl sqlx::Type<sqlx::Any> for $name {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
            fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
                <String as sqlx::Type<sqlx::Any>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q> sqlx::Encode<'q, sqlx::Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                let text: &'q str = self.as_str();
                <&'q str as sqlx::Encode<'q, sqlx::Any>>::encode(text, buf)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $name {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                $name::parse(&text).ok_or_else(|| format!("{:?} is not a {}", text, stringify!($name)).into())
            }
        }
    };
}

/// Declares a labelled enum: `labelled_enum! { pub enum Status: "status" { Draft = "draft", … } }`
/// is a [`stored_enum!`](crate::stored_enum) whose values also have a label key
/// (`"status.draft"`), so pages can show them in the reader's language.
#[macro_export]
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $prefix:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $crate::stored_enum! {
            $(#[$meta])*
            $vis enum $name {
                $( $(#[$vmeta])* $variant = $text ),+
            }
        }

        impl $name {
            pub const fn label_key(self) -> &'static str {
                match self {
                    $( $name::$variant => concat!($prefix, ".", $text) ),+
                }
            }
        }

        impl $crate::shared::enums::Labelled for $name {
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label_key(self) -> &'static str {
                $name::label_key(self)
            }
        }
    };
}

/// The SQL list `'a', 'b', 'c'` of an enum's values, for `IN (…)` clauses built from the type
/// rather than repeated literals. The values are the enum's own constants, never user input.
pub fn sql_list<E: Labelled>(values: &[E]) -> String {
    values.iter().map(|v| format!("'{}'", v.as_str())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    crate::labelled_enum! {
        enum Colour: "colour" { Red = "red", DeepBlue = "deep_blue" }
    }

    #[test]
    fn a_labelled_enum_round_trips_and_names_its_labels() {
        assert_eq!(Colour::ALL, [Colour::Red, Colour::DeepBlue]);
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
        }
        assert_eq!(Colour::parse("green"), None);
        assert_eq!(Colour::DeepBlue.label_key(), "colour.deep_blue");
        assert_eq!(Colour::DeepBlue.to_string(), "deep_blue");
        assert_eq!(super::sql_list(&[Colour::Red, Colour::DeepBlue]), "'red', 'deep_blue'");
        assert_eq!(serde_json::to_string(&Colour::DeepBlue).unwrap(), "\"deep_blue\"");
        assert_eq!(serde_json::from_str::<Colour>("\"red\"").unwrap(), Colour::Red);
        assert!(serde_json::from_str::<Colour>("\"Red\"").is_err());
    }
}
