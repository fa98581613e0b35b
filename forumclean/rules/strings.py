"""UI strings of Discuz language packs (zh-Hans, zh-Hant official and Taiwan packs, English).

Data, not code: add a wording here and every family that matches text picks it up. Structure
comes first in HTML; these strings matter for text dumps, notices and labels.
"""

from __future__ import annotations

import re

# Floor labels: install defaults and their traditional forms.
FLOOR_LABELS = {
    "楼主": 1, "樓主": 1, "沙发": 2, "沙發": 2, "板凳": 3, "地板": 4,
    "Thread Starter": 1,
}

# What shares an author slot with the name (anatomy §4.6): a guest's IP (「游客 <em>1.2.3.x</em>」),
# the deleted-user mark (「NAME <em>该用户已被删除</em>」), the thread starter's 「楼主 |」 label.
AUTHOR_NOISE = re.compile(
    r"\s*(?:\d{1,3}\.\d{1,3}\.(?:\d{1,3}|\*|x)\.(?:\d{1,3}|\*|x)(?::\d+)?|该用户已被删除|該用戶已被刪除|"
    r"該用户已被刪除|User (?:has been )?deleted)\s*$"
    r"|^\s*(?:楼主|樓主|Thread Starter)\s*(?:\||$)", re.I)

# The thread header's counters by their words (zh-Hans, official TC, TW pack, English).
VIEWS_COUNT = re.compile(r"(?:查看|點閱|点阅|阅读|閱讀|浏览|瀏覽|Views?)\s*[:：]?\s*(\d+)", re.I)
REPLIES_COUNT = re.compile(r"(?:回复|回復|回覆|Repl(?:y|ies))\s*[:：]?\s*(\d+)", re.I)

# Segments the touch/mobile templates append to <title> after the site name (「… - 手机版 - Powered by
# Discuz!」): never the site name.
TITLE_SUFFIXES = ("手机版", "手機版", "触屏版", "觸屏版", "简易版", "簡易版", "Mobile", "Mobile Version")
# Floor labels of a pinned copy shown at the top of page 1: a recommended ("hot") reply, or a
# sticky reply 「顶 来自 5#」 (X3.4 shows only 「来自 5#」 beside an icon).
PINNED_FLOOR = re.compile(r"^\s*(?:推荐|推薦|置顶|置頂|Recommend)|^\s*(?:[顶頂]\s*)?(?:来自|來自|From)\s*(?P<floor>\d+)",
                          re.I)

# Labels that introduce a cited source; followed by an address they make a source line.
SOURCE_LABELS = (
    "来源", "來源", "原文链接", "原文鏈接", "原文連結", "原文地址", "转载自", "轉載自", "转自", "轉自",
    "文章来源", "文章來源", "出处", "出處", "新闻来源", "新聞來源", "本文来源", "本文來源", "Source", "source",
    "Via", "via", "From", "原文", "链接", "鏈接", "連結",
    # Uyghur (NurQut language pack sites): "source", "original article address", "original source"
    "مەنبە", "ئەسلى ماقالە ئادرىسى", "ئەسلى ئادرىسى", "ئەسلى مەنبەسى",
)
SOURCE_LINE = re.compile(
    r"^\s*[\[【(（]?\s*(?:" + "|".join(re.escape(x) for x in SOURCE_LABELS) + r")\s*[\]】)）]?\s*"
    r"(?:[:：]|於|于|自)?\s*(?P<rest>.*)$"
)
# A label with a colon right before the address that ends a short line (「本文转载自…，原文地址：URL」).
SOURCE_TAIL = re.compile(
    r"(?:" + "|".join(re.escape(x) for x in SOURCE_LABELS) + r")\s*[:：]\s*(?P<rest>\S+)\s*$"
)
URL = re.compile(r"(?:https?|ftp)://[^\s<>\"'，。、；）)】\]]+|www\.[^\s<>\"'，。、；）)】\]]+", re.I)

# Notices that stand in for content: a post whose body is only one of these has an empty body.
NOTICES = (
    "作者被禁止或删除", "作者被禁止或刪除", "该帖被管理员或版主屏蔽", "該帖被管理員或版主屏蔽",
    "此帖仅作者可见", "此帖僅作者可見", "本帖为密码帖", "本帖為密碼帖",
    "如果您要查看本帖隐藏内容请回复", "如果您要查看本帖隱藏內容請回復", "如果您要查看本帖隱藏內容請回覆",
    "本帖隐藏的内容需要", "本帖隱藏的內容需要", "以下内容需要积分高于", "以下內容需要積分高於",
    "无效楼层，该帖已经被删除", "無效樓層，該帖已經被刪除", "無效樓層，該文章已經被刪除",
    "內容自動禁止",  # TW pack's banned-author notice
    "Hidden Message", "content automatically hidden", "Author is banned or deleted",
    "Invalid floor, this post has been deleted",
)

# Appended to posts site-wide; a line starting with one of these ends the author's text.
DISCLAIMERS = ("免责声明", "免責聲明", "声明：本站", "聲明：本站", "Disclaimer:")

# The edit note 「本帖最后由 NAME 于 TIME 编辑」 and its variants.
EDIT_NOTE = re.compile(
    r"^\s*\[?\s*(?:本帖|本文章|本文)最[后後]由\s*(?P<editor>.+?)\s*[于於]\s*(?P<time>.+?)\s*[编編][辑輯]\s*\]?\s*$"
)
#: Every text ``EDIT_NOTE`` matches holds one of these (a cheap test before scanning a post).
EDIT_NOTE_WORDS = ("最后由", "最後由")
# Quote headers 「NAME 发表于 TIME」 / 6.x 「原帖由 NAME 于 TIME 发表」.
QUOTE_HEADER = re.compile(
    r"^\s*(?:原帖由\s*)?(?P<author>.+?)\s*(?:发表于|發表於|于|於|Posted on|Post on|Posted at)\s*"
    r"(?P<time>(?:(?:19|20)\d\d[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}[-/]\d{1,2}[-/](?:19|20)\d\d)"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?|.{1,20}前)"
    r"\s*(?:发表|發表)?\s*$"
)

# Textual smiley codes printed by archiver/printable views: {:5_123:}, :lol, :handshake ...
SMILEY_CODE = re.compile(r"\{:\d+_\d+:\}|\{:\d+:\}|(?<![\w/]):(?:lol|loveliness|handshake|victory|funk|"
                         r"time|kiss|call|hug|dizzy|sweat|shy|mad|titter|sad|cry|curse|shocked|huffy|"
                         r"hug|smile|biggrin|tongue|shutup|Q|L|D|P|o|\$|\(|\)|@)(?![\w])")

# Jammer runs (anatomy §12.3): 5–15 pairs of (space..';') + space + ('?'..'~'). A pair whose first
# character is a space prints two spaces, which rendered text collapses to one.
JAMMER_RUN = re.compile(r"(?:[\x21-\x3b] [\x3f-\x7e]|\x20 ?[\x3f-\x7e]){5,15}")
# The pairs of a run whose first character is not a space. Discuz's jammer() (function_discuzcode)
# draws each pair's first character from chr(32..59): a space one time in 28, so a run of five
# pairs or more holds fewer than two other pairs about once in 100 000. Text made only of
# space-led pairs is something else: a table row of one-letter cells (「| Y | N | Y | Y | N |」),
# letters spelled out (「A B C D E F」).
_JAMMER_PAIR = re.compile(r"[\x21-\x3b] [\x3f-\x7e]")


def has_jammer_pairs(run: str) -> bool:
    """Whether a run ``JAMMER_RUN`` (or a line of pairs) found can be jammer(): two or more pairs
    led by a character other than a space. (The pairs' ranges are disjoint, so each such pair
    is one the pattern took.)"""
    pairs = _JAMMER_PAIR.search(run)
    return pairs is not None and _JAMMER_PAIR.search(run, pairs.end()) is not None

# Edit notes in other packs, printed as plain text where markup is gone (archiver, print view):
# the Uyghur NurQut pack 「بۇ يازمىنى ئاخىرىدا NAME تەھرىرلىگەن. ۋاقتى TIME」 and English wordings.
EDIT_NOTES = (
    EDIT_NOTE,
    re.compile(r"^\s*\[?\s*بۇ يازمىنى ئاخىرىدا\s*(?P<editor>.+?)\s*تەھرىرلىگەن\s*\.?\s*ۋاقتى\s*"
               r"(?P<time>.+?)\s*\]?\s*$"),
    re.compile(r"^\s*\[?\s*(?:This post was\s+)?last edited by\s+(?P<editor>.+?)\s+(?:on|at)\s+"
               r"(?P<time>.+?)\s*\]?\s*$", re.I),
)

# Archiver pages print an [img] as its bare address (GOLD: image addresses are not body).
IMAGE_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"']+?\.(?:jpe?g|png|gif|bmp|webp)(?:\?[^\s<>\"']*?)?"
                       r"(?=https?://|ftp://|\s|$)", re.I)

# 6.x/7.x print view appends attachments as text: 「附件: [说明] NAME (DATE, SIZE) / 下载次数 N」.
ATTACHMENT_LINE = re.compile(r"^\s*(?:图片附件|圖片附件|附件|Attachment|Image Attachment)\s*[:：].*"
                             r"(?:下载次数|下載次數|Downloads?)", re.I)

# Raw BBCode the 5.x–7.x archivers leave in the text (X strips it). Tag names of Discuz's parser.
BBCODE_TAG = re.compile(r"\[/?(?:b|i|u|s|p|color|size|font|align|url|email|list|\*|indent|float|table|tr|td|"
                        r"hr|sup|sub|backcolor|code|free|hide|postbg|media|flash|audio|qq|index|page|"
                        r"password|quote|img|attach|attachimg)(?:=[^\]\n]{0,300})?\]", re.I)
BBCODE_IMAGE = re.compile(r"\[img(?:=[^\]\n]*)?\](?P<url>[^\[\n]*)\[/img\]", re.I)
BBCODE_ATTACH = re.compile(r"\[attach(?:img)?\]\d+\[/attach(?:img)?\]", re.I)
BBCODE_QUOTE_OPEN = re.compile(r"\[quote(?:=[^\]\n]*)?\]", re.I)
BBCODE_QUOTE_CLOSE = re.compile(r"\[/quote\]", re.I)

# Attachment boxes, recognised by structure (a link to attachment.php / forum.php?mod=attachment
# with a size beside it) whatever the theme calls them. What else such a box may say, in the
# language packs' words: forum/lang_template.php downloads 「下载次数」, upload 「上传」,
# attachcredits 「下载积分」, clicktodownload 「点击文件名下载附件」, price 「售价」, readperm 「阅读权限」,
# attachment 「附件」, attachment_buy 「购买」, pay_view 「记录」 (7.x templates.lang.php the same), the
# official zh-Hant / TW pack forms and the English pack's.
ATTACHMENT_WORDS = (
    "点击文件名下载附件", "點擊文件名下載附件", "點擊檔名下載附件", "下载次数", "下載次數", "下载积分", "下載積分",
    "阅读权限", "閱讀權限", "下载附件", "下載附件", "保存到相册", "保存到相冊", "上传", "上傳", "售价", "售價",
    "附件", "购买", "購買", "记录", "記錄", "Downloads", "Download", "Uploaded", "Upload", "Price",
    "Attachment", "Read permission",
)
# Discuz's sizecount(): 「12.34 KB」, 「1.5 MB」, 「512 Bytes」 (function_core.php; 7.x the same).
FILE_SIZE = re.compile(r"\d+(?:\.\d+)?\s*(?:[KMGT]B|Bytes)(?![A-Za-z])", re.I)
# Attachment links: X forum.php?mod=attachment&aid=, 6.x/7.x attachment.php?aid=, paid ones
# through misc.php?action=attachpay / forum.php?mod=misc&action=attachpay.
ATTACHMENT_HREF = re.compile(r"(?:attachment\.php\?|mod=attachment\b|action=attachpay\b)", re.I)

# A label some themes print before the author's name: 「作者：NAME」. forum/lang_template.php
# author 「作者」, thread_author 「楼主」, posted_by 「发布者」; portal view_publisher 「发布者」,
# view_author_original 「原作者」; the zh-Hant forms and the English pack's 「Author」.
AUTHOR_LABEL = re.compile(r"^\s*(?:原作者|作者|楼主|樓主|发布者|發布者|Author)\s*[:：]\s*",
                          re.I)

# The names Discuz prints for a post without a member (lang_template.php guest 「游客」,
# anonymous 「匿名」; zh-Hant 「遊客」; the English pack's): the author slot of such a post.
GUEST_NAMES = ("游客", "遊客", "匿名", "Guest", "Anonymous")
