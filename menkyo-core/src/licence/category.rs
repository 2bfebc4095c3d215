//! 免許の種類: the 15 licence categories (WEF02 tags EC–FA), in card order.

use serde::Serialize;

use crate::profile::CATEGORY_HELD;

/// A licence category, in the order of its tag (EC … FA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Category {
    Large,
    Ordinary,
    LargeSpecial,
    LargeMotorcycle,
    OrdinaryMotorcycle,
    SmallSpecial,
    Moped,
    Towing,
    LargeClass2,
    OrdinaryClass2,
    LargeSpecialClass2,
    TowingClass2,
    Medium,
    MediumClass2,
    SemiMedium,
}

/// Number of categories on the card.
pub const CATEGORY_COUNT: usize = 15;

impl Category {
    /// All categories in card order.
    pub const ALL: [Category; CATEGORY_COUNT] = [
        Category::Large,
        Category::Ordinary,
        Category::LargeSpecial,
        Category::LargeMotorcycle,
        Category::OrdinaryMotorcycle,
        Category::SmallSpecial,
        Category::Moped,
        Category::Towing,
        Category::LargeClass2,
        Category::OrdinaryClass2,
        Category::LargeSpecialClass2,
        Category::TowingClass2,
        Category::Medium,
        Category::MediumClass2,
        Category::SemiMedium,
    ];

    /// The name as printed on the card: 大型, 普通, 大特, …
    pub fn name_ja(self) -> &'static str {
        match self {
            Category::Large => "大型",
            Category::Ordinary => "普通",
            Category::LargeSpecial => "大特",
            Category::LargeMotorcycle => "大自二",
            Category::OrdinaryMotorcycle => "普自二",
            Category::SmallSpecial => "小特",
            Category::Moped => "原付",
            Category::Towing => "け引",
            Category::LargeClass2 => "大二",
            Category::OrdinaryClass2 => "普二",
            Category::LargeSpecialClass2 => "大特二",
            Category::TowingClass2 => "け引二",
            Category::Medium => "中型",
            Category::MediumClass2 => "中二",
            Category::SemiMedium => "準中型",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Category::Large => "large",
            Category::Ordinary => "ordinary",
            Category::LargeSpecial => "large special",
            Category::LargeMotorcycle => "large motorcycle",
            Category::OrdinaryMotorcycle => "ordinary motorcycle",
            Category::SmallSpecial => "small special",
            Category::Moped => "moped",
            Category::Towing => "towing",
            Category::LargeClass2 => "large class 2",
            Category::OrdinaryClass2 => "ordinary class 2",
            Category::LargeSpecialClass2 => "large special class 2",
            Category::TowingClass2 => "towing class 2",
            Category::Medium => "medium",
            Category::MediumClass2 => "medium class 2",
            Category::SemiMedium => "semi-medium",
        }
    }

    /// Position in card order (0 for 大型).
    pub fn index(self) -> usize {
        Category::ALL.iter().position(|&c| c == self).unwrap_or_default()
    }
}

/// The category flags as read: `None` for an empty item, else the raw byte
/// (`00` not held, anything else held — card-formats.md §2.3 [P]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Categories([Option<u8>; CATEGORY_COUNT]);

impl Categories {
    pub fn from_raw(raw: [Option<u8>; CATEGORY_COUNT]) -> Self {
        Self(raw)
    }

    /// Flags for a set of held categories, written with [`CATEGORY_HELD`] and `00`.
    pub fn with_held(held: &[Category]) -> Self {
        let mut raw = [Some(0u8); CATEGORY_COUNT];
        for (slot, cat) in raw.iter_mut().zip(Category::ALL) {
            if held.contains(&cat) {
                *slot = Some(CATEGORY_HELD);
            }
        }
        Self(raw)
    }

    pub fn held(&self, category: Category) -> bool {
        self.raw(category).is_some_and(|b| b != 0)
    }

    pub fn raw(&self, category: Category) -> Option<u8> {
        self.0.get(category.index()).copied().flatten()
    }

    /// Every category in card order with whether it is held.
    pub fn iter(&self) -> impl Iterator<Item = (Category, bool)> + '_ {
        Category::ALL.into_iter().map(|c| (c, self.held(c)))
    }

    pub(crate) fn raw_all(&self) -> &[Option<u8>; CATEGORY_COUNT] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_flags() {
        assert_eq!(Category::ALL.len(), 15);
        assert_eq!(Category::SemiMedium.index(), 14);
        let c = Categories::with_held(&[Category::Ordinary, Category::Moped]);
        assert!(c.held(Category::Ordinary));
        assert!(!c.held(Category::Large));
        let c = Categories::from_raw([Some(0x02); 15]);
        assert!(c.held(Category::Large));
        assert_eq!(c.raw(Category::Large), Some(0x02));
        assert!(!Categories::default().held(Category::Large));
    }
}
