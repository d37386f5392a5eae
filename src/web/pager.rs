//! Page numbers for long lists: `?page=N` next to the list's own filters.

/// Where the reader is in a list, and the links to the neighbouring pages.
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// Rows to show per page of a staff list.
    pub const PER_PAGE: i64 = 20;

    /// The requested page number, kept inside 1..=pages once the total is known.
    pub fn requested(page: Option<i64>) -> i64 {
        page.unwrap_or(1).max(1)
    }

    /// `path_and_query` is the list's address with its filters (ending in `?` or `&`).
    pub fn new(page: i64, total: i64, path_and_query: &str) -> Pager {
        let pages = ((total + Self::PER_PAGE - 1) / Self::PER_PAGE).max(1);
        let page = page.clamp(1, pages);
        let link = |n: i64| format!("{path_and_query}page={n}");
        Pager {
            page,
            pages,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * Self::PER_PAGE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up_and_links_point_both_ways() {
        let p = Pager::new(2, 41, "/school?status=recruiting&");
        assert_eq!(p.pages, 3);
        assert_eq!(p.previous.as_deref(), Some("/school?status=recruiting&page=1"));
        assert_eq!(p.next.as_deref(), Some("/school?status=recruiting&page=3"));
        assert_eq!(p.offset(), 20);
    }

    #[test]
    fn a_page_past_the_end_shows_the_last_one() {
        let p = Pager::new(9, 5, "/school?");
        assert_eq!((p.page, p.pages, p.offset()), (1, 1, 0));
        assert!(p.previous.is_none() && p.next.is_none());
    }
}
