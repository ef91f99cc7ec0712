import HeraldURL

/// Class and id names that content-management systems give the element holding an article's text (WordPress's
/// `entry-content`, Drupal's `field-body`, `itemprop="articleBody"`…): trafilatura's first rule, as a vocabulary.
/// Matched as substrings of the lowercased `class`/`id`, so `td-post-content` and `c-article__body` match.
enum ContentContainer {
    static let names: [[UInt8]] = [
        "entry-content", "article-content", "art-content", "article__content", "article-body", "articlebody",
        "article__body", "article_body", "body-text", "post-text", "post_text", "post-body", "postentry", "post-entry",
        "post-content", "post_content", "postcontent", "article-text", "articletext", "page-content", "text-content",
        "story-content", "storycontent", "story-body", "storybody", "blog-content", "section-content",
        "single-content", "theme-content", "single-post", "main-column", "wpb_text_column", "field-body",
        "field-name-body", "post-bodycopy", "content-main", "content_main", "content-body", "contentbody",
        "content__body", "articlecontent", "article__container", "rich-text", "richtext",
    ].map { Array($0.utf8) }

    static func isNamed(_ node: Node) -> Bool {
        if node.attribute("itemprop") == "articleBody" { return true }
        for attribute in ["class", "id"] {
            let found =
                node.withAttributeBytes(attribute) { value -> Bool in
                    guard value.count >= 8 else { return false }
                    let lower = value.map(ASCII.lowercase)
                    return lower.withUnsafeBufferPointer { buffer in
                        names.contains { Boilerplate.contains(buffer, $0) }
                    }
                } ?? false
            if found { return true }
        }
        return false
    }
}
