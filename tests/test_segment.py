from boilerstrip.parse import document_title, parse, page_title
import numpy as np

from boilerstrip.segment import MAX_CLIMB, PATTERNS, attribute_mask, segment


def blocks_of(html):
    return segment(parse(html).body)


def test_blocks_split_on_block_elements_and_keep_order():
    b = blocks_of("<div>intro <b>bold</b> text<p>first para</p>tail<ul><li>one</li><li>two</li></ul></div>")
    assert b.text == ["intro bold text", "first para", "tail", "one", "two"]
    assert b.tag == ["div", "p", "div", "li", "li"]


def test_link_chars_counted_only_inside_anchors():
    b = blocks_of('<p>Read <a href="/x">the report</a> now</p>')
    assert b.text == ["Read the report now"]
    assert b.link_chars == [len("the report")]


def test_scripts_styles_comments_hidden_are_skipped():
    html = ("<body><script>var a='SCRIPT TEXT'</script><style>p{}</style><!-- COMMENT -->"
            "<p>visible</p><p hidden>HIDDEN1</p><div style='display: none'>HIDDEN2</div>"
            "<div aria-hidden='true'>HIDDEN3</div><template>TEMPLATE</template></body>")
    b = blocks_of(html)
    assert b.text == ["visible"]


def test_double_br_splits_single_br_does_not():
    b = blocks_of("<div>line one<br>line two<br><br>line three</div>")
    assert b.text == ["line one line two", "line three"]


def test_class_vocabulary_of_owner_and_ancestors():
    b = blocks_of('<div class="article-body"><div id="share-bar"><p>Share this</p></div>'
                  '<p class="lead">Story</p></div>')
    share = 1 << PATTERNS.index("share")
    article = 1 << PATTERNS.index("article")
    assert b.anc_mask[0] & share and b.anc_mask[0] & article
    assert not b.anc_mask[1] & share and b.anc_mask[1] & article
    assert b.own_mask[1] == 0


def test_ad_token_matches_whole_token_only():
    assert attribute_mask("ad-slot") & (1 << 63)
    assert not attribute_mask("header download") & (1 << 63)


def test_container_share_counts_text_under_element():
    b = blocks_of("<div><section><p>aaaa</p><p>bbbb</p></section><p>cc</p></div>")
    sec = b.parent[0]
    assert b.element_chars[sec] == 8
    assert b.element_chars[0] == 10


def test_deep_nesting_is_iterative():
    depth = 20000
    html = "<div>" * depth + "deep text" + "</div>" * depth
    b = blocks_of(html)
    assert b.text == ["deep text"]


def test_lists_tables_ids():
    b = blocks_of("<ol><li>a</li><li>b</li></ol><table><tr><td>1</td><td>2</td></tr></table>")
    assert b.list_id[0] == b.list_id[1] >= 0
    assert b.row_id[2] == b.row_id[3] >= 0 and b.table_id[2] >= 0
    assert b.element_tag[b.list_id[0]] == "ol"


def test_page_title_prefers_og_title():
    t = parse('<html><head><title>Site | Story</title><meta property="og:title" content="Story &amp; more">'
              '</head><body></body></html>')
    assert page_title(t) == "Story & more"
    assert page_title(parse("<html><head><title> A  title </title></head></html>")) == "A title"
    assert page_title(parse("<p>no head</p>")) is None


def test_document_title_found_where_the_parser_put_it():
    # markup before <html> (a wrapper element, stray output) opens the body
    # early, and the <title> lands there; the browser still shows it
    wrapped = ('<text id="http://example.org/a">\n<!DOCTYPE html><html><head>'
               '<meta charset="utf-8"><title>Ferry cut leaves commuters stranded</title>'
               '</head><body><h1>Ferry cut</h1><p>Story.</p></body></html></text>')
    tree = parse(wrapped)
    assert tree.head.css_first("title") is None            # not in the head
    assert document_title(tree) == "Ferry cut leaves commuters stranded"
    assert page_title(tree) is None                        # what the features read
    stray = ('Warning: headers already sent<html><head><title>Night bus returns</title>'
             '<meta property="og:title" content="Night bus returns to the ring road">')
    assert document_title(parse(stray)) == "Night bus returns to the ring road"
    # an icon's title inside <svg> or <math> names the icon, not the page
    assert document_title(parse("<body><svg><title>Close</title></svg><p>x</p></body>")) is None
    assert document_title(parse("<body><math><title>x</title></math><title>Page</title>")) == "Page"
    # the head's title wins over one further down
    both = parse("<head><title>Head</title></head><body><title>Body</title>")
    assert document_title(both) == page_title(both) == "Head"


def test_hidden_detected_next_to_class_and_id():
    b = blocks_of('<div class="a" style="display:none">H1</div><div id="b" hidden>H2</div>'
                  '<p class="c" aria-hidden="true">H3</p><p class="d" style="color:red">shown</p>')
    assert b.text == ["shown"]


def test_processing_instructions_are_ignored():
    b = blocks_of("<div><p>before</p><?php echo 'x'; ?><p>after</p></div>")
    assert b.text == ["before", "after"]


def test_element_mask_is_the_class_vocabulary_of_each_block_element():
    b = segment(parse("<div class='comment-body'><p id='intro'>x</p></div><section><p>y</p></section>").body)
    from boilerstrip.segment import PATTERNS
    bit = {p: 1 << i for i, p in enumerate(PATTERNS)}
    assert len(b.element_mask) == len(b.element_tag) == len(b.element_chars)
    assert b.element_mask[b.parent[0]] & bit["comment"] and b.element_mask[b.parent[0]] & bit["body"]
    assert b.element_mask[b.owner[0]] == 0 and b.element_mask[b.parent[1]] == 0


def test_element_parent_is_the_nearest_block_level_ancestor():
    b = blocks_of("<div id=a><section><p>one <span><b>two</b></span></p></section>"
                  "<p>three</p></div><ul><li>four</li></ul>")
    parent = b.element_parent
    assert len(parent) == len(b.element_tag) and parent[0] == 0
    for i in range(len(b)):
        assert parent[b.owner[i]] == b.parent[i]        # the block's parent column agrees
        assert parent[b.parent[i]] == b.grandparent[i] or b.parent[i] == 0
    p_one, p_three = b.owner[0], b.owner[1]
    section = parent[p_one]
    assert b.element_tag[section] == "section" and b.element_tag[parent[section]] == "div"
    assert parent[p_three] == parent[section]            # both under div#a
    assert b.element_tag[parent[b.owner[2]]] == "ul" and parent[parent[b.owner[2]]] == 0


TREE_PAGE = ("<nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav>"
             "<main><article><h1>Flood wall rebuilt</h1><div class=body><p>The wall stands.</p>"
             "<p>It cost a lot.</p></div></article><aside><p>Most read</p></aside></main>")


def test_common_ancestor_and_climb_cap():
    b = blocks_of(TREE_PAGE)
    levels = b.ancestor_levels
    assert (levels[0] == np.asarray(b.owner)).all() and (levels[-1] == 0).all()
    lca = b.common_ancestor(b.owner[2])
    assert lca[2] == b.owner[2] and lca[0] == 0
    assert b.element_tag[lca[3]] == "article" and b.element_tag[lca[5]] == "main"
    # nesting deeper than MAX_CLIMB: relations beyond it fall back to the root
    deep = "<div>" * (MAX_CLIMB + 10) + "<p>deep</p>" + "</div>" * (MAX_CLIMB + 10)
    d = blocks_of("<p>top</p>" + deep)
    assert d.ancestor_levels.shape[0] == MAX_CLIMB + 1
    assert d.common_ancestor(d.owner[0]).tolist() == [d.owner[0], 0]


def test_element_words_reads_each_elements_own_class_words():
    b = segment(parse("<div class='comment-list'><div class='nav-menu'><p>x</p></div></div>"
                      "<p class='story'>y</p>").body)
    words = b.element_words(("comment", "nav", "menu", "story"))
    assert words.shape == (len(b.element_mask), 4)
    by_tag = {}
    for e in range(len(b.element_mask)):
        by_tag.setdefault(b.element_tag[e], []).append(words[e].tolist())
    assert [True, False, False, False] in by_tag["div"]     # div.comment-list
    assert [False, True, True, False] in by_tag["div"]      # div.nav-menu
    assert [False, False, False, True] in by_tag["p"]       # p.story
    assert [False, False, False, False] in by_tag["p"]      # the bare <p>
    assert not words[0].any()                               # the root
    assert b.element_masks.dtype == np.uint64 and b.element_masks.tolist() == b.element_mask
