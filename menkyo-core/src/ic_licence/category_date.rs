//! 免許の種類 on the IC licence: for each of the 15 categories, the date first licensed
//! (DF1/EF01 tags 25–33).
//!
//! ```text
//! 25 大型  26 普通  27 大特  28 大自二  29 普自二  2A 小特  2B 原付  2C け引
//! 2D 大二  2E 普二  2F 大特二  30 け引二  31 中型  32 中二  33 準中型
//! each EYYMMDD (ASCII); zeros after the era digit: not held; tag missing: the card's
//! specification version predates the category (spec 006 has no tag 33)
//! ```

use crate::era::WarekiDate;
use crate::licence::{CATEGORY_COUNT, Category};

/// One category of one card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CategoryDate {
    /// The tag is not on the card: its specification version predates the category.
    #[default]
    NotOnCard,
    /// The tag holds a zero date: the category is not held.
    NotHeld,
    /// Held, first licensed on this date.
    Since(WarekiDate),
}

impl CategoryDate {
    pub fn held(self) -> bool {
        matches!(self, CategoryDate::Since(_))
    }

    /// The date first licensed, when held.
    pub fn date(self) -> Option<WarekiDate> {
        match self {
            CategoryDate::Since(d) => Some(d),
            CategoryDate::NotOnCard | CategoryDate::NotHeld => None,
        }
    }
}

/// The 15 categories in card order (the order of [`Category::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CategoryDates([CategoryDate; CATEGORY_COUNT]);

impl CategoryDates {
    pub fn from_array(dates: [CategoryDate; CATEGORY_COUNT]) -> Self {
        Self(dates)
    }

    pub fn get(&self, category: Category) -> CategoryDate {
        self.0.get(category.index()).copied().unwrap_or_default()
    }

    pub fn set(&mut self, category: Category, date: CategoryDate) {
        if let Some(slot) = self.0.get_mut(category.index()) {
            *slot = date;
        }
    }

    pub fn held(&self, category: Category) -> bool {
        self.get(category).held()
    }

    /// Every category in card order with its date.
    pub fn iter(&self) -> impl Iterator<Item = (Category, CategoryDate)> + '_ {
        Category::ALL.into_iter().zip(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::era::Era;

    #[test]
    fn three_states_per_category() {
        let since = WarekiDate::new(Era::Heisei, 22, 4, 1).unwrap();
        let mut c = CategoryDates::default();
        assert_eq!(c.get(Category::SemiMedium), CategoryDate::NotOnCard);
        c.set(Category::Ordinary, CategoryDate::Since(since));
        c.set(Category::Large, CategoryDate::NotHeld);
        assert!(c.held(Category::Ordinary));
        assert!(!c.held(Category::Large));
        assert!(!c.held(Category::SemiMedium));
        assert_eq!(c.get(Category::Ordinary).date(), Some(since));
        assert_eq!(c.iter().filter(|(_, d)| d.held()).map(|(c, _)| c).collect::<Vec<_>>(), vec![Category::Ordinary]);
        assert_eq!(c.iter().count(), 15);
    }
}
