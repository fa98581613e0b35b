"""Page regions that Discuz templates use for chrome, with the reason shown when they are removed.

Data for every HTML family: ``(xpath, reason)`` applied in order (later rows win on the same
element). Keyed on ids and class tokens that custom templates keep (anatomy §4.1, §6, §12.1).
"""

from __future__ import annotations

from dataclasses import dataclass


def cls(name: str) -> str:
    """XPath predicate: the element has class token ``name``."""
    return f"contains(concat(' ', @class, ' '), ' {name} ')"


PAGE_REGIONS: list[tuple[str, str]] = [
    # X1.5–X3.5 desktop
    ("//*[@id='toptb']", "top bar"),
    ("//*[@id='hd']", "header"),
    ("//*[@id='nv' or @id='mu' or @id='nv_menu']", "navigation"),
    ("//*[@id='scbar' or @id='scbar_form']", "search"),
    ("//*[@id='pt']", "breadcrumb"),
    ("//*[@id='pgt' or @id='pgs' or @id='newspecial' or @id='post_reply']", "pager"),
    (f"//div[{cls('pgs')} or {cls('pg')} or {cls('pgbtn')}]", "pager"),
    ("//*[@id='modmenu' or @id='mdly']", "moderator bar"),
    ("//*[@id='f_pst' or @id='fastpostform' or @id='vfastpostform']", "reply form"),
    ("//*[@id='ft' or @id='footer' or @id='flk' or @id='frt']", "footer"),
    ("//*[@id='scrolltop']", "back-to-top"),
    ("//*[@id='hiddenpoststip' or @id='hiddenposts']", "hidden-posts tip"),
    ("//*[@id='visitedforums_menu' or @id='append_parent' or @id='ajaxwaitid']", "popup"),
    ("//*[starts-with(@id, 'diy') or " + cls("area") + "]", "DIY area"),
    (f"//*[{cls('a_h')} or {cls('a_t')} or {cls('a_mu')} or {cls('a_fl')} or {cls('a_fr')} or "
     f"{cls('a_cb')} or {cls('a_cn')} or {cls('a_f')} or {cls('a_pr')} or {cls('a_pt')} or {cls('a_pb')} or "
     f"{cls('a_p')} or {cls('a_af')} or @id='sitefocus' or starts-with(@id, 'ad_')]", "ad"),
    (f"//*[{cls('p_pop')} or {cls('p_opt')} or {cls('tip')}]", "popup"),
    ("//*[starts-with(@id, 'md_') and substring(@id, string-length(@id) - 4) = '_menu']", "popup"),
    # Main-nav items keep their ids (mn_portal, mn_forum…) when themes move them out of #nv.
    ("//*[starts-with(@id, 'mn_')]", "navigation"),
    # Thread header row: type prefix, status words and 「[复制链接]」 around #thread_subject;
    # on page 2+ the 「楼主: NAME」 cell; the reward / rush-floor banner.
    (f"//td[{cls('vwthd')}] | //h1[{cls('ts')}]", "title extras"),
    ("//*[@id='tath']", "thread starter"),
    ("//*[@id='pl_top']", "thread banner"),
    ("//*[@id='messagetext']", "notice"),
    # Pages without posts: forum index, thread lists, statistics, who's online.
    ("//*[@id='threadlist' or @id='threadlisttableid' or @id='forumnewshow']", "thread list"),
    ("//*[@id='thread_types' or @id='filter_special' or @id='thread_sort']", "thread list filter"),
    (f"//*[starts-with(@id, 'category_') or {cls('fl_tb')}]", "forum list"),
    ("//*[@id='chart' or @id='online' or @id='onlinelist']", "statistics"),
    ("//*[@id='ct' and .//*[@id='uhd' or @id='profile_content']] | //*[@id='uhd']", "user profile"),
    ("//*[starts-with(@id, 'forum_rules')]", "forum rules"),
    (f"//body[{cls('pg_forumdisplay')}]//div[{cls('bml')}]", "forum header"),
    ("//*[@id='postform' or @id='editorbox']", "post form"),
    # 6.x / 7.x
    ("//*[@id='header' or @id='menu' or @id='umenu']", "header"),
    ("//*[@id='nav' or " + cls("nav") + "]", "breadcrumb"),
    (f"//div[{cls('pages_btns')} or {cls('pages')}] | //*[@id='visitedforums']", "pager"),
    ("//*[@id='footlink' or @id='rightinfo' or @id='copyright']", "footer"),
    ("//*[@id='profilecontent' or @id='profile_act']", "user profile"),
    # Themes that rename the footer still call it so (div.footer_xxx, #footer-wrap).
    ("//*[starts-with(@class, 'footer') or starts-with(@id, 'footer')]", "footer"),
]

# The footer's 「GMT+8, 2025-7-7 04:11」 line: read into ``timezone`` and ``rendered_at``.
FOOTER_CLOCK = ("//*[@id='ft' or @id='footer' or @id='footlink' or @id='rightinfo' or @id='frt']"
                "//*[text()[contains(., 'GMT')]]")

# Inside a post container, outside its body.
POST_REGIONS: list[tuple[str, str]] = [
    # Floor, author, time and 「只看该作者 | 倒序浏览 | 阅读模式」 links (the values are kept apart).
    (f".//div[{cls('pi')} and not(ancestor::td[{cls('pls')}])] | .//div[{cls('authi')}] | "
     f".//div[{cls('postinfo')}] | .//div[{cls('authorinfo')}]", "post header"),
    (f".//td[{cls('pls')}] | .//div[{cls('favatar')}] | .//td[{cls('postauthor')}]", "user sidebar"),
    (f".//div[{cls('sign')}] | .//div[{cls('signatures')}]", "signature"),
    (f".//div[{cls('po')}] | .//div[{cls('pob')}] | .//div[{cls('postactions')}] | "
     f".//div[{cls('postact')}] | .//div[@id='p_btn'] | .//div[{cls('useraction')}]", "action bar"),
    (f".//div[{cls('pattl')}] | .//div[{cls('postattachlist')}] | .//dl[{cls('tattl')}]", "attachment box"),
    (f".//div[{cls('attach_nopermission')}] | .//div[{cls('attach_tips')}]", "login wall"),
    (f".//dl[{cls('rate')}] | .//*[starts-with(@id, 'ratelog_')] | .//div[{cls('postratings')}] | "
     f".//dl[{cls('newrate')}] | .//h3[{cls('psth')}]", "rating"),
    (f".//div[{cls('cm')}] | .//*[starts-with(@id, 'comment_')]", "comments"),
    # The widespread 「楼中楼」 reply plugin: per-post comment threads under the body.
    (f".//div[{cls('j_lzl_r')}] | .//*[starts-with(@id, 'lzl_')]", "comments"),
    (f".//div[{cls('modact')}]", "moderation note"),
    (f".//div[{cls('ptg')}] | .//div[{cls('tagrelated')}]", "tags"),
    (f".//div[{cls('locked')}]", "hidden-content notice"),
    (f".//div[{cls('typeoption')}]", "classified fields"),
    (f".//div[{cls('pcbs')}]//form | .//div[{cls('pcht')}]", "poll"),
    (".//*[@id='fj']", "floor jump box"),
    (f".//tr[{cls('ad')}] | .//*[starts-with(@id, 'ad_thread')] | .//tr[{cls('threadad')}]", "ad"),
    (f".//div[{cls('cm')}]", "reward box"),
]

# Inside a post body (td.t_f and its equivalents on other families). Matched in one Python pass
# over the body (bodies are small; per-rule XPath over every body was the hot spot).
@dataclass(frozen=True)
class ElementRule:
    reason: str
    tag: str | None = None  # None: any tag
    cls: str | None = None  # a class token the element has
    parent_cls: str | None = None  # a class token its parent has
    id: str | None = None  # exact id
    id_contains: str | None = None
    style: str | None = None  # in the style attribute, spaces removed, lower-cased
    #: any id except these prefixes (a div with an id in BBCode output was put there by a plugin)
    other_id_than: tuple[str, ...] | None = None


MESSAGE_RULES: list[ElementRule] = [
    ElementRule("quote", "div", cls="quote"),
    ElementRule("quote", "blockquote"),
    ElementRule("edit note", "i", cls="pstatus"),
    ElementRule("jammer", cls="jammer"),
    ElementRule("jammer", "font", style="font-size:0"),
    ElementRule("hidden-content notice", "div", cls="locked"),
    ElementRule("hidden-content label", "h4", parent_cls="showhide"),
    ElementRule("attachment box", "div", cls="tip"),
    ElementRule("attachment box", "div", cls="aimg_tip"),
    ElementRule("attachment box", "dl", cls="tattl"),
    ElementRule("attachment box", "div", cls="attach_popup"),
    ElementRule("attachment box", "p", cls="imgbtn"),
    ElementRule("login wall", "div", cls="attach_nopermission"),
    ElementRule("login wall", "div", cls="attach_tips"),
    # 6.x / 7.x inline attachments and their hover menus (anatomy §6).
    ElementRule("attachment box", cls="t_attach"),
    ElementRule("attachment box", "dl", cls="t_attachlist"),
    ElementRule("code button", "em", parent_cls="blockcode"),
    ElementRule("code button", cls="cpb"),
    ElementRule("table of contents", id="threadindex"),
    ElementRule("poll", "div", cls="pollchart"),
    ElementRule("poll", "div", cls="pcht"),
    ElementRule("poll", "form", id_contains="poll"),
    ElementRule("moderation note", "div", cls="modact"),
    # X prints the first post's right-floating ad (ad_a_pr) inside td.t_f.
    ElementRule("ad", cls="a_pr"),
    ElementRule("plugin block", "div", other_id_than=("code_", "aimg_", "attach_", "postmessage_")),
]

# Code boxes (anatomy §12.18): the code sits in ``ol > li`` (X, 7.x), ``code`` (6.x) or ``pre``
# (highlighter plugins); everything else in the box is chrome: 「复制代码」, the 52pojie-style
# 「[Python] 纯文本查看 复制代码」 header, 6.x's 「代码:」 title. A box without any of these is left alone.
CODE_BOX_CLASSES = frozenset({"blockcode"})
CODE_TAGS = frozenset({"ol", "pre", "code"})

# Touch (smartphone) pages, X3.0–X3.5 (anatomy §7): post parts outside and inside div.message.
TOUCH_POST_REGIONS: list[tuple[str, str]] = [
    (f".//div[{cls('avatar')}] | .//span[{cls('avatar')}]", "avatar"),
    (f".//div[{cls('threadlist_foot')}] | .//div[{cls('replybtn')}] | .//em[{cls('mgl')}] | "
     ".//*[starts-with(@id, 'moption_')]", "action bar"),
    (f".//ul[{cls('img_one')}] | .//ul[{cls('img_list')}] | .//ul[{cls('post_attlist')}]", "attachment box"),
    (f".//div[{cls('tags')}]", "tags"),
]
# Inside div.message (the touch body): warning badge, reply subject, poll widget, classified fields.
TOUCH_MESSAGE_REGIONS: list[tuple[str, str]] = [
    (f"./span[{cls('quote')}]", "warning notice"),
    ("./h2", "reply subject"),
    (f".//div[{cls('poll')}] | .//form[@id='poll']", "poll"),
    (f"./div[{cls('viewsort')}]", "classified fields"),
]

TOUCH_PAGE_REGIONS: list[tuple[str, str]] = [
    (f"//div[{cls('header')}] | //header[{cls('header')}] | //*[@id='header-padding']", "header"),
    (f"//div[{cls('txtlist')}] | //div[{cls('view_reply')}] | //div[{cls('discuz_x')}]", "reply bar"),
    (f"//div[{cls('foot')}] | //div[{cls('foot_height_view')}] | //div[{cls('footer')}] | "
     f"//div[{cls('foot-pwa')}] | //a[{cls('scrolltop')}]", "footer"),
    (f"//div[{cls('pg')}] | //div[{cls('page')}] | //div[{cls('pgbox')}]", "pager"),
    ("//form[@id='fastpostform'] | //*[@id='mask']", "reply form"),
]

# Simple mobile (``mobile=1``, X2.5–X3.4): the body sits in the sibling div.pbody (anatomy §7).
MOBILE_POST_REGIONS: list[tuple[str, str]] = [
    (f".//a[{cls('xg1')}]", "user links"),
]

MOBILE_PAGE_REGIONS: list[tuple[str, str]] = [
    (f"//div[{cls('hd')}] | //div[{cls('wp')}]/div[{cls('pd2')}]", "header"),
    (f"//div[{cls('box')}] | //div[{cls('tz')}]", "breadcrumb"),
    (f"//div[{cls('bm_inf')}]", "counters"),
    (f"//div[{cls('pbody')}] | //div[{cls('pbody')}]/../a | //div[{cls('warning')}]", "post chrome"),
    (f"//div[{cls('mes')}]/div[{cls('attach_h')}] | //div[{cls('mes')}]/ul", "attachment box"),
    (f"//div[{cls('mes')}]/div[{cls('xi1')}]", "hidden-content notice"),
    (f"//div[{cls('pbody')}]/h2", "reply subject"),
    (f"//div[{cls('pg')}] | //div[{cls('page')}]", "pager"),
    ("//form[@id='fastpostform'] | //*[@id='ft'] | //div[@class='ft']", "footer"),
]
