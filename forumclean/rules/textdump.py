"""What a Discuz page looks like once flattened to text (anatomy §11, §11.5): data, not code.

Every string here is UI text printed by a Discuz template or language pack: zh-Hans, the official
zh-Hant packs, the Taiwan community pack (DiscuzX_TW), the English i18n pack, and the Uyghur
NurQut ULP pack. The text-dump family matches lines against these after light normalisation
(NFKC, so full-width colons and bars match their ASCII forms; runs of white space folded).
Add a wording here and every text family picks it up.
"""

from __future__ import annotations

import re


def _alt(words) -> str:
    """Regex alternation, longest first (so 「回帖奖励」 wins over 「回帖」)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# -- dates ---------------------------------------------------------------------------------------
# Absolute Discuz times (Y-n-j [H:i[:s]] [AM|PM]) and the relative forms (anatomy §5.1).
# (a site may set the date format to j-n-Y / j/n/Y: 「12-3-2025 09:30」)
DATE = (r"(?:(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d)"
        r"(?:\s*(?:上午|下午|凌晨|晚上|中午)?\s*\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?)?")
RELATIVE = (r"(?:\d+\s*(?:小时|小時|分钟|分鐘|秒|天)前(?:\s*\d{1,2}:\d{2})?|半小[时時]前|刚刚|剛剛|刚才|"
            r"(?:昨天|前天)\s*\d{1,2}:\d{2}|"
            r"\d+\s*(?:Second|Minute|Hour|Day)\(?s?\)?\s+ago|half\s+hour\s+ago|just\s+now|"
            r"(?:Yesterday|Day before yesterday)\s*\d{1,2}:\d{2}|"
            r"\d+\s*(?:سېكۇنت|مىنۇت|سائەت|كۈن)\s*ئالدىدا|تۈنۈگۈن\s*\d{1,2}:\d{2}|ئالدىنقى كۈنى\s*\d{1,2}:\d{2})")
TIME = f"(?:{DATE}|{RELATIVE})"
DATE_RE = re.compile(DATE)
TIME_ONLY = re.compile(rf"^{TIME}$")
HAS_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")

# -- the post header 「[NAME] 发表于 TIME | 只看该作者 …」 ----------------------------------------
POSTED = ("发表于", "發表於", "发表於", "Posted on", "Post on", "Posted at", "posted on",
          "يوللانغان ۋاقتى", "يوللىغان ۋاقتى")
POSTED_RE = re.compile(rf"(?P<verb>{_alt(POSTED)})\s*(?P<time>{TIME})", re.I)
# A record line of an archive or an old archiver: a time, a name, a floor mark and nothing else
# (「2007-6-3 19:20墨池」 in Discuz 5's archiver, 「### 2 楼｜NAME｜2022-2-28 00:44:59」).
TIME_FIRST = re.compile(rf"^(?P<a>{TIME})\s*(?P<b>\S.{{0,40}})$", re.I)
TIME_LAST = re.compile(rf"^(?P<a>\S.{{0,40}}?)\s*(?P<b>{TIME})$", re.I)
# 「回复 2# NAME 的帖子」: the line the reply form puts above a reply (lang_misc 'post_reply',
# 'post_thread'; 6/7 「回复 #1 NAME 的帖子」).
REPLY_TO = re.compile(r"^(?:回复|回復|回覆|Reply)\s*#?\s*\d+\s*#?\s*\S.{0,40}?\s*(?:的帖子|的帖子|'s post)$", re.I)
# A header without the verb: the time is a cell of its own, header links after it.
COMPACT_TIME = re.compile(rf"(?:^|\|)\s*(?P<time>{DATE})\s*(?=\|)")
# 「1楼 时间: T 来自 … | 只看该作者 |」: a floor mark, a theme's own label, the time (the links decide).
FLOOR_THEN_TIME = re.compile(rf"^(?P<floor>\S{{1,8}})\s+[^\d|]{{0,6}}?\s*(?P<time>{TIME})")
LABEL_THEN_TIME = re.compile(rf"^[^\d|]{{1,6}}?\s*(?P<time>{TIME})")
COUNTER_CELL = re.compile(r"^(?:查看|點閱|点阅|回复|回復|回覆|View|Views|Reply|Replies)\s*:?\s*\d+$", re.I)
POSTED_END = re.compile(rf"(?:{_alt(POSTED)})$")
TIME_START = re.compile(rf"^{TIME}", re.I)
# A header that a dump cut off in the middle (「发表于 202」): not a post.
POSTED_CUT = re.compile(rf"^(?:{_alt(POSTED)})\s*\d{{0,4}}\s*$")

# Links and labels that follow the time on a post header (one per line in some dumps).
HEADER_TOKENS = (
    "只看该作者", "只看該作者", "Only View Author", "只看作者", "只看楼主", "只看樓主",
    "显示全部楼层", "顯示全部樓層", "Show All Floors", "阅读模式", "閱讀模式", "Reading Mode",
    "倒序浏览", "倒序瀏覽", "正序浏览", "正序瀏覽", "Descending Order", "Ascending Order", "倒序看帖",
    "只看大图", "只看大圖", "只檢視大圖", "Large Image Only", "回帖奖励", "回帖獎勵", "Reply Reward",
    "来自手机", "來自手機", "From Mobile", "收藏", "分享", "打印", "字体大小", "字體大小",
    "ھەممە قەۋەتنى كۆرۈش", "پەقەت مۇشۇ ئاپتورنىلا كۆرۈش", "تەتۈر تەرتىپتە كۆرۈش", "ئوقۇش ھالىتى",
)
HEADER_TOKEN_RE = re.compile(rf"^(?:{_alt(HEADER_TOKENS)})")
# The view switch a touch page prints right after the subject (touch lang_template 'thread_show_author').
# Text between the time and the header links (an IP-location plugin's 「来自 …」, a theme's label).
CELL_BEFORE_LINKS = re.compile(rf"^(?P<cell>[^|]{{1,30}}?)\s*\|\s*(?:{_alt(HEADER_TOKENS)})")
TRAILING_TOKEN = re.compile(r"(?<=\S)\s*(?:只看楼主|只看樓主|只看该作者|只看該作者|只看作者)$")
# 「来自 Android 客户端」, the IP-location plugin's 「来自 中国四川眉山」.
FROM_SUFFIX = re.compile(r"^(?:来自|來自|From)\s*\S.*$")

# -- floors ----------------------------------------------------------------------------------------
FLOOR_WORDS = {
    "楼主": 1, "樓主": 1, "沙发": 2, "沙發": 2, "板凳": 3, "地板": 4, "Thread Starter": 1,
}
# 「5#」「5 #」「#5」「5楼」「5樓」「第5楼」, lynx's 「5^#」; 「推荐」 hot replies.
FLOOR_NUM = re.compile(r"^(?:第\s*)?(?P<n>\d{1,6})\s*\^?\s*(?:#|楼|樓|F|f)$|^#\s*(?P<n2>\d{1,6})$")
FLOOR_LABEL_GLUED = r"楼主|樓主|沙发|沙發|板凳|地板|\d{1,6}#"
FLOOR_LABEL = re.compile(rf"^(?:{_alt(FLOOR_WORDS)}|推荐|推薦)$")
# The thread starter's mark before a reply's header: 「楼主|」「樓主 |」.
OP_MARK = re.compile(r"^(?:楼主|樓主|Thread Starter)\s*\|\s*")
# The 7.x post header's font-size switch: 「大 中 小」 (templates.lang 'big', 'middle', 'small'),
# 「字体大小: tT」 ('font_zoom').
FONT_SWITCH = re.compile(r"(?:^|\s)(?:大\s*中\s*小|(?:字体大小|字體大小)\s*:?\s*(?:t\s*T)?)(?=\s|$)")
# The floor jump box and its label.
FLOOR_JUMP = ("电梯直达", "電梯直達", "跳转到指定楼层", "跳轉到指定樓層", "跳转到", "跳轉到",
              "Elevator Direct", "Jump to specified floor")

# -- thread header (anatomy §11.2) -----------------------------------------------------------------
COUNTERS = re.compile(
    r"(?:查看|點閱|点阅|View|Views|كۆرۈش)\s*:\s*(?P<views>\d+)\s*\|?\s*"
    r"(?:回复|回復|回覆|Reply|Replies|ئىنكاس)\s*:\s*(?P<replies>\d+)", re.I)
# Custom templates print the two counters apart: 「1回复」「99查看」.
COUNTER_ALONE = re.compile(r"^(?P<n>\d+)\s*(?P<what>回复|回復|回覆|查看|點閱)$")
COPY_LINK = re.compile(r"\[\s*(?:复制链接|複製鏈接|複製連結|Copy Link|ئۇلانما كۆچۈرۈش)\s*\]")
THREAD_STARTER = re.compile(r"^(?:楼主|樓主|Thread Starter|ئىگىسى)\s*:\s*(?P<name>\S.*)$")
THREAD_TOOLS = ("打印", "列印", "上一主题", "下一主题", "上一主題", "下一主題", "Print", "Previous Thread",
                "Next Thread", "收起左侧", "收起左側", "报告无效帖子", "返回列表", "发新帖", "發新帖", "回复",
                "回復", "发帖", "發帖", "新帖")
# 「[分类] SUBJECT」: the thread type before a subject (dropped from the title).
TYPE_PREFIX = re.compile(r"^\[[^\[\]]{1,20}\]\s+(?=\S)")
TYPE_ALONE = re.compile(r"^\[[^\[\]]{1,20}\]$")

# -- the author column (anatomy §11.3) ---------------------------------------------------------------
# Status shown after the name: 「NAME 当前离线」 (TC 目前離線, TW 目前在線上, EN Offline).
ONLINE_STATUS = re.compile(r"^(?:当前离线|当前在线|目前離線|目前在線上?|目前离线|當前離線|當前在線|離線|在線|"
                           r"Offline|Online|توردا يوق|توردا بار)$", re.I)
STATUS_WORDS = ("当前离线", "当前在线", "目前離線", "目前在線上", "目前在線", "當前離線", "當前在線", "Offline", "Online",
                "توردا يوق", "توردا بار")
# Items of the 「使用道具」 menu that text dumps print after the action bar (Discuz's default magics).
MAGIC_ITEMS = ("照妖镜", "照妖鏡", "提升卡", "置顶卡", "置頂卡", "变色卡", "變色卡", "喧嚣卡", "喧囂卡", "金钱卡", "金錢卡",
               "雷达卡", "雷達卡", "窥视卡", "窺視卡", "抢沙发", "搶沙發", "千斤顶", "千斤頂", "悔悟卡", "显身卡", "顯身卡",
               "隐身卡", "隱身卡", "匿名卡", "改名卡", "护身符", "護身符", "开心卡", "開心卡", "猪头术", "豬頭術",
               "沉默卡", "醒目灯", "醒目燈", "救生圈")
SIDEBAR_LABELS = (
    "主题", "主題", "回帖", "帖子", "积分", "積分", "精华", "精華", "文章", "威望", "金钱", "金錢", "贡献", "貢獻",
    "Threads", "Posts", "Credits", "Digest", "UID", "注册时间", "註冊時間", "最后登录", "最後登錄", "在线时间",
    "在線時間", "阅读权限", "閱讀權限", "发消息", "發消息", "发送消息", "收听TA", "串个门", "加好友", "打招呼",
    "查看详细资料", "查看詳細資料", "查看个人网站", "查看個人網站", "雷达卡", "签到天数", "簽到天數",
    "TA的每日心情", "该用户从未签到", "該用戶從未簽到", "Rank", "存款", "好评", "活跃度", "在线", "离线",
    "تېما", "دوست", "جۇغلانما", "يازما", "نادىر", "ھوقۇقى", "تىزىملاتقان", "ئاخىرقى قېتىم",
    "تەپسىلىي ئارخىپنى كۆرۈش", "ئۇچۇر", "پاراڭ", "ئەزا ئۇچۇرى", "تىزىم نۇمۇرى", "ئۆسۈش",
)
SIDEBAR_LABEL_RE = re.compile(rf"^(?:{_alt(SIDEBAR_LABELS)})\b")
# What a dump glues after a poster's name: the deleted-user mark (lang_template 'member_deleted'),
# a guest's masked address (viewthread_node prints 「游客 113.92.41.*」 to visitors), the
# 「只看该作者」 link (lang_template 'thread_show_author') of the simple mobile view.
NAME_SUFFIX = re.compile(r"\s*(?:该用户已被删除|該用戶已被刪除|該使用者已被刪除|User deleted|"
                         r"(?<=\S)\s+\d{1,3}\.\d{1,3}\.(?:\d{1,3}|[*x])\.(?:\d{1,3}|[*x])?|"
                         r"只看该作者|只看該作者|Only View Author)$")
# Default group titles (zh-Hans, zh-Hant, EN).
GROUP_TITLES = (
    "新手上路", "注册会员", "註冊會員", "中级会员", "中級會員", "高级会员", "高級會員", "金牌会员", "金牌會員",
    "论坛元老", "論壇元老", "管理员", "管理員", "超级版主", "超級版主", "版主", "实习版主", "實習版主",
    "禁止发言", "禁止發言", "禁止访问", "禁止訪問", "等待验证会员", "等待驗證會員", "游客", "遊客",
    "Newbie", "Member", "Administrator", "Super Moderator", "Moderator",
)
# 「新手上路, 积分 21, 距离下一级还需 29 积分」 and other group-progress lines.
SIDEBAR_LINE = re.compile(
    r"^(?:\d+\s*(?:主题|主題|回帖|帖子|积分|積分|精华|文章)\b|(?:积分|積分|金钱|帖子|UID)\s*\d|Rank\s*:\s*\d|"
    r"\[LV\.\d+\]|.{0,12}[,，]\s*(?:积分|積分)\s*-?\d+|.*距离下一级还需|.*距離下一級還需|签到天数|簽到天數|"
    r"注册时间|註冊時間|UID\s*\d|.*\bجۇغلانما\s*\d)")

# -- inside a post (anatomy §4.3, §11.3) -------------------------------------------------------------
QUOTE_HEAD = re.compile(
    rf"^(?:原帖由\s*)?(?P<author>\S.{{0,40}}?)\s*(?:{_alt(POSTED)}|于|於)\s*(?P<time>{TIME})\s*(?:发表|發表)?\s*(?:\.\.\.)?$",
    re.I)
OLD_QUOTE_HEAD = re.compile(rf"^原帖由\s*(?P<author>.+?)\s*[于於]\s*(?P<time>{TIME})\s*(?:发表|發表)\s*$")
EDIT_NOTES = (
    re.compile(r"^\[?\s*(?:本帖|本文章|本文)最[后後]由\s*(?P<editor>.+?)\s*[于於]\s*(?P<time>.+?)\s*[编編][辑輯]"
               r"(?:\s*\]|\s+[\x20-\x7e]{0,40})?$"),
    re.compile(r"^(?:Last edited by|This post was last edited by)\s+(?P<editor>.+?)\s+(?:at|on)\s+(?P<time>.+?)$",
               re.I),
    re.compile(r"^بۇ يازمىنى ئاخىرىدا\s*(?P<editor>\S+)\s*تەھرىرلىگەن\.?\s*ۋاقتى\s*(?P<time>.+)$"),
)
# 「本主题由 X 于 T 置顶」 and other moderation notes (div.modact).
MODERATION_HEAD = re.compile(r"^(?:本主题|本主題|本帖|该主题|該主題)由\s*\S+?\s*[于於]\s*\S")
MODERATION = re.compile(r"^(?:本主题|本主題|本帖|该主题|該主題)由\s*\S+?\s*[于於]\s*.{6,24}?\s*[^\d\s:.]{2,8}$")
LOGIN_WALL = (
    "马上注册", "馬上註冊", "马上加入", "立即注册，结交更多", "本帖子中包含更多资源", "本帖子中包含更多資源",
    "您需要 登录 才可以下载或查看", "您需要登录才可以下载或查看", "您需要 登錄 才可以下載或查看", "您需要登錄才可以下載或查看",
    "您需要 登入 才可以下載或查看", "您需要登入才可以下載或查看", "You need to login", "This post contains more resources",
    "以下内容需要", "游客，如果您要查看", "遊客，如果您要查看", "游客,如果您要查看",
    "才可以下载或查看", "才可以下載或查看",  # the second half of a wrapped wall line
)
# 「游客，如果您要查看本帖隐藏内容请回复」 and its TW wording, with any reader's name in front.
HIDDEN_REPLY = re.compile(r"^(?:\S{0,20}?[,，]\s*)?(?:如果您要(?:查看|檢視|查閱)本(?:帖|文章)(?:隐藏内容|隱藏內容)请?請?回[复復覆]|"
                          r"本(?:帖|文章)(?:隐藏的内容|隱藏的內容)需要)")
# Touch pages print the thread's view switches between the first post and the replies.
THREAD_SWITCHES = re.compile(r"^(?:(?:倒序浏览|倒序瀏覽|正序浏览|正序瀏覽|只看楼主|只看樓主|全部回复|全部回復|全部回覆|"
                             r"只看该作者|只看該作者)\s*\d*\s*)+$")
# Notices that replace a banned author's or a blocked post's whole text.
BANNED = re.compile(r"作者被禁止或删除|作者被禁止或刪除|该帖被管理员或版主屏蔽|該帖被管理員或版主屏蔽|Author is banned")
CLOSE_X = ("x", "×", "X")
HIDDEN_NOTICES = ("**** Hidden Message *****", "**** 作者被禁止或删除 内容自动屏蔽 ****", "本帖隐藏的内容",
                  "本帖隱藏的內容", "本文章隱藏的內容")
# Attachment boxes: 「NAME.jpg (123.45 KB, 下载次数: 0)」「下载附件」「保存到相册」「2025-3-13 17:57 上传」.
ATTACH_EXT = r"(?:jpe?g|png|gif|bmp|webp|zip|rar|7z|pdf|docx?|xlsx?|pptx?|txt|torrent|apk|exe|mp[34]|mobileconfig)"
ATTACH_PIECE = re.compile(
    rf"^(?:\S.{{0,80}}?\.{ATTACH_EXT}\s*(?:\(|（)[^)）]*(?:KB|MB|GB|Bytes|B)\b[^)）]*(?:\)|）)?|"
    r"[\d.]+\s*(?:KB|MB|GB|Bytes)\s*[,，]\s*(?:下载次数|下載次數|Downloads)\s*:\s*\d+|"
    r"\((?:[\d.]+\s*(?:KB|MB|GB|Bytes))[^)]*\)|"
    r"(?:附件\s*:\s*)?(?:您所在的用户组无法下载或查看附件|您所在的用戶組無法下載或查看附件)|"  # 7.x 'attach_nopermission'
    r"下载附件|下載附件|保存到相册|保存到相冊|儲存到相簿|Download Attachments?|Save to Album|"
    rf"(?:{DATE})\s*(?:上传|上傳|Upload(?:ed)?)|"
    r"点击文件名下载附件|點擊文件名下載附件|Click (?:the )?file ?name to download(?: attachment)?|"
    r"(?:下载积分|下載積分|售价|售價)\s*:\s*\S+(?:\s*-?\d+)?|/?\s*(?:下载次数|下載次數)\s*:?\s*\d+|"
    # 7.x print view: 「图片附件: NAME (T, 45.2 KB) / 下载次数 12」 (templates.lang 'attach_img', 'attachment',
    # 'downloads'), then the file's address (attachment.php?aid=…)
    rf"(?:图片附件|圖片附件|附件)\s*:\s*\S.{{0,80}}?\((?:{DATE})\s*,\s*[\d.]+\s*(?:KB|MB|GB|Bytes)\)"
    r"(?:\s*/\s*(?:下载次数|下載次數)\s*\d+)?|"
    r"https?://\S+/(?:attachment\.php\?|forum\.php\?mod=attachment&)aid=\S+)"
    r"\s*", re.I)
# A line that is only a file name (an image attachment's caption in some dumps).
FILE_NAME = re.compile(rf"^[^\s，。：:;；！？!?]{{0,60}}(?:\s[^\s，。：:;；！？!?]{{1,30}}){{0,3}}\.{ATTACH_EXT}$", re.I)
CODE_BUTTON = re.compile(r"^(?:\[[A-Za-z+#]+\]\s*)?(?:纯文本查看\s*)?(?:复制代码|複製代碼|複製程式碼|Copy Code|"
                         r"纯文本查看|純文本查看)$", re.I)
CODE_BUTTON_START = re.compile(r"^(?:复制代码|複製代碼|複製程式碼|Copy Code)\s+(?=\S)")
# Poll widget (anatomy §12.13): 「单选投票, 共有 0 人参与投票」, options, 「0% (0)」 …
POLL_START = re.compile(r"^(?:单选投票|多选投票|單選投票|多選投票|Single|Multiple)\s*[:：]?\s*(?:\([^)]*\)\s*)?[,，].*(?:投票|vote)",
                        re.I)
POLL_LINE = re.compile(r"^(?:\d+\s*\.\s*.*?)?\s*\d+(?:\.\d+)?%\s*(?:\(\s*\d+\s*(?:票)?\s*\))?$|"
                       r"^(?:您所在的用户组没有投票权限|您所在的用戶組沒有投票權限|您需要\s*登录\s*之后方能进行投票|"
                       r"您需要\s*登錄\s*之後方能進行投票|您需要\s*登入\s*之後方能進行投票|提交|投票|查看投票参与人|"
                       r"查看投票參與人|距结束还有.*|距結束還有.*|投票已经结束.*|投票已經結束.*|此投票.*)$")

# The special threads' boxes above (or under) the first post's text (forum lang_template):
# reward 「悬赏20金钱 已解决」 ('thread_reward', 'reward_solved'), debate 「结束时间: T 裁判: X」
# ('endtime', 'debate_umpire'), 「VS」, 「支持」, 「辩手: 3 ( 加入 )」 ('debater', 'debate_join'),
# activity and trade fields ('activity_type', 'activity_starttime', 'activity_space', 'gender',
# 'activity_about_member', 'trade_remaindays'), trade prices 「380 元」.
WIDGET_LINE = re.compile(
    r"^(?:悬赏\s*\d+\s*\S{1,6}?(?:\s*已解决)?|懸賞\s*\d+\s*\S{1,6}?(?:\s*已解決)?|已解决|已解決|"
    r"结束时间\s*:.*裁判\s*:.*|結束時間\s*:.*裁判\s*:.*|辩手\s*:\s*\d+\s*(?:\(\s*加入\s*\))?|"
    r"辯手\s*:\s*\d+\s*(?:\(\s*加入\s*\))?|"
    r"(?:活动类型|活動類型|活动地点|活動地點|已报名|已報名|剩余名额|剩餘名額|剩余时间|剩餘時間)\s*:\s*.{0,40})$")
# Lines of those boxes that only count above the post's text (the box comes first): the other
# fields, a trade's price 「380 元」 ('trade_units').
WIDGET_TOP_LINE = re.compile(r"^(?:VS|支持|(?:开始时间|開始時間|性别|性別|类型|類型|每人花销)\s*:\s*.{0,40}|\d+(?:\.\d+)?\s*元)$")
# A label of these boxes alone, its value on the next line; a debate side with its point under it.
WIDGET_LABEL = re.compile(r"^(?:活动类型|活動類型|开始时间|開始時間|活动地点|活動地點|已报名|已報名|剩余名额|"
                          r"剩餘名額|剩余时间|剩餘時間)\s*:$|^(?:正方观点|反方观点|正方觀點|反方觀點)\s*\(\d+\)")
# The reward's best answer (「最佳答案 / NAME / 查看完整内容 / excerpt」: 'reward_bestanswer', 'view_full_content').
BEST_ANSWER = re.compile(r"^(?:查看完整内容\s*)?(?:最佳答案)$")
# A poll option with its share of the votes, and the line that closes the widget.
POLL_OPTION = re.compile(r"^\d+\s*\.\s*\S.*?\s\d+(?:\.\d+)?%\s*\(\s*\d+\s*票?\s*\)$|^\d+(?:\.\d+)?%\s*\(\s*\d+\s*票?\s*\)$")
POLL_END = re.compile(r"^(?:您所在的用户组没有投票权限|您所在的用戶組沒有投票權限|您需要\s*登录\s*之后方能进行投票|"
                      r"您需要\s*登[錄入]\s*之後方能進行投票)")

# -- after the body (anatomy §11.3): everything from one of these to the post's end is not body ----
TAIL_LINES = re.compile(
    r"^(?:点评|點評|評論|باھا سۆز|评分|評分|Rate|收起回复|收起回復|收起回覆|查看全部评分|查看全部評分|"
    r"参与人数\s*\d+.*|參與人數\s*\d+.*|收起\s*理由|理由|﹍+|分享到\s*:?.*|这是一种鼓励.*|打赏.*|打賞.*|"
    r"(?=.*\d)(?:(?:收藏|淘帖|支持|反对|反對|分享|评分|評分|Favorite|Share|Support|Oppose)\s*\d*\s*)+|"
    r"QQ好友和群.*|.*\(BUTTON\)\s*赏|发表|發表|举报回复|舉報回復|相关帖子|相關帖子)$")
SHARE_WORDS = ("收藏", "淘帖", "支持", "反对", "反對", "分享", "Favorite", "Share", "Support", "Oppose")
ACTION_WORDS = (
    "回复", "回復", "回覆", "Reply", "使用道具", "Use Magic Item", "道具", "举报", "舉報", "回報", "Report",
    "点评", "點評", "評論", "评分", "評分", "Rate", "支持", "反对", "反對", "引用", "报告", "報告", "TOP", "编辑",
    "編輯", "Edit", "只看该作者", "分享", "收藏", "淘帖", "ئىنكاس", "جابدۇق ئىشلىتىش", "پاش قىلىش",
    "نەقىل", "باھالاش", "تەھرىرلەش",
)
ACTION_CORE = ("回复", "回復", "回覆", "Reply", "使用道具", "举报", "舉報", "回報", "Report", "引用", "报告",
               "ئىنكاس", "جابدۇق ئىشلىتىش", "پاش قىلىش")
ACTION_SPLIT = re.compile(rf"\s*(?:{_alt(ACTION_WORDS)})\s*")
# Client signatures: 「—— 来自 HUAWEI …」, S1 apps 「[-- 来自 … 客户端](…)」.
CLIENT_SIGNATURE = re.compile(r"^(?:——|--|—)\s*(?:来自|來自|发自|發自|From)\s+\S")

# -- end of page (anatomy §11.4) ---------------------------------------------------------------------
FOOTER_START = re.compile(
    r"^(?:您需要登录后才可以回帖|您需要登錄後才可以回帖|您需要登入後才可以回覆|You need to login before|"
    r"本版积分规则|本版積分規則|Forum Credit Rules|高级模式|高級模式|Advanced Mode|"
    r"返回列表\s*(?:发新帖|發新帖|发帖|發帖)?$|(?:发新帖|發新帖)\s*返回列表$|"
    r"B\s+Color\s+Image\s+Link\s+Quote\s+Code\s+Smilies|快速回复\s*返回顶部|快速回復\s*返回頂部|"
    r"GMT\s*[+-]?\s*[\d.]*\s*,\s*(?:19|20)\d\d|Powered by|浏览过的版块|瀏覽過的版塊|"
    r"Archiver\s*\|?\s*(?:手机版|手機版)|(?:站点统计|站點統計)\s*\|?|页\s*:|頁\s*:|بەت\s*:|"
    r"查看完整版本\s*:|欢迎光临|歡迎光臨|كىرگەندىن كېيىن ئىنكاس|ئالىي ئىنكاس|كۆرگەن سەھىپە|"
    r"تىزىملىككە قايتىش|(?:©|&copy;|\(C\))\s*(?:19|20)\d\d|"
    # the touch view's reply button (rendered 「[发表]」) and its foot links (touch lang_template
    # 'nomobiletype' 电脑版)
    r"\[\s*(?:发表|發表|回复|回復)\s*\]$|(?:首页|首頁)\s*\|\s*(?:登录|登錄)\s*\|\s*(?:立即注册|立即註冊)$|"
    # 7.x: 「SITE - Archiver - WAP」
    r".{0,40}\s-\s*Archiver\s*-\s*WAP$|.*\|\s*(?:触屏版|觸屏版)\s*\|\s*(?:电脑版|電腦版)$)", re.I)
FOOTER_CLOCK = re.compile(r"GMT\s*[+-]?\s*[\d.]*\s*[,，]\s*(?:19|20)\d\d[^\n]{0,40}")
POWERED = re.compile(r"Powered by\s*(?P<gen>Discuz!\s*[A-Za-z]?\s*\d+(?:\.\d+)*)", re.I)
# 「Archiver|手机版|小黑屋|SITE ( 京ICP备… )」: the site's name is the last link before the ICP.
ICP = re.compile(r"(?P<icp>[\u4e00-\u9fff]?ICP[备備证證]?\s*[\w\-]+号?(?:-\d+)?)")
FOOTER_LINKS = ("Archiver", "手机版", "手機版", "小黑屋", "站点统计", "站點統計", "举报", "舉報", "联系我们",
                "聯繫我們", "Comsenz Inc.", "公安备案", "网站地图", "網站地圖", "ئۇلىنىش قوشوش", "بايقاش",
                "رەسىمسىز نۇسخا", "يانفون نۇسخىسى")
ARCHIVER_HEAD = re.compile(r"^(?P<site>.+?)'s Archiver$")
ARCHIVER_FULL = re.compile(r"^(?:查看完整版本|查看完整版本|Full Version|)\s*:\s*(?P<title>.*)$")
PRINT_TITLE = re.compile(r"^(?:标题|標題|Subject|Title)\s*:\s*(?P<title>.+?)\s*(?:\[(?:打印本页|列印本頁|打印本頁|Print)\])?$")
PRINT_HEADER = re.compile(rf"(?:作者|Author)\s*:\s*(?P<author>\S.*?)\s+(?:时间|時間|Time)\s*:\s*(?P<time>{TIME})",
                          re.I)
WELCOME = re.compile(r"^(?:欢迎光临|歡迎光臨|Welcome to)\s*(?P<site>.+?)\s*\((?P<url>https?://[^)\s]+)\)", re.I)

# -- portal article header (anatomy §10) -------------------------------------------------------------
PORTAL_HEADER = re.compile(rf"^(?P<time>{DATE})\s*\|\s*(?:发布者|發布者|Publisher)\s*:\s*(?P<publisher>[^|]+?)\s*\|")
# Labels of a portal meta line, the stock ones and customised templates' (anatomy §10).
PORTAL_LABEL = re.compile(r"(?:发布者|發布者|Publisher|发布|發布|原作者|作者|Author|来源|來源|来自|來自|查看|点击|點擊|"
                          r"评论|評論|时间|時間|发布时间|發布時間)\s*:")
PORTAL_OWN_LABEL = re.compile(r"(?:发布者|發布者|Publisher|发布|發布|原作者|点击|點擊|评论|評論)\s*:")
# The touch view's meta line (touch portal/view.htm, div.wzview_top p): the time, then views and
# comments behind their words without a colon (lang_portal 'view_views' 查看, 'comment' 评论),
# then the source link: 「2025-4-18 09:30查看215评论2石桥日报」.
PORTAL_TOUCH_META = re.compile(rf"^(?P<time>{DATE}\s*\d{{1,2}}:\d\d)\s*(?:查看|View)\s*:?\s*\d+\s*"
                               r"(?:评论|評論|Comments?)\s*:?\s*\d+\s*(?P<source>.*)$", re.I)
PORTAL_AUTHOR = re.compile(r"(?:原作者|Author)\s*:\s*(?P<author>[^|]+?)\s*(?:\||$)")
PORTAL_SUMMARY = re.compile(r"^(?:摘要|Summary|خۇلاسە)\s*:")
PORTAL_PUBLISHER = re.compile(r"^(?:发布者|發布者)\s*:\s*(?P<publisher>[^|]+?)\s*\|?$")
PORTAL_TAIL = re.compile(r"^(?:收藏\s*邀请|收藏|邀请|邀請|上一篇\s*:.*|下一篇\s*:.*|相关分类|相關分類|相关阅读|相關閱讀|"
                         r"(?:(?:鲜花|鮮花|握手|雷人|路过|路過|鸡蛋|雞蛋|震惊|震驚|感动|感動|搞笑|难过|難過|愤怒|憤怒)\s*\d*\s*)+|"
                         r"刚表态过的朋友.*|剛表態過的朋友.*|最新评论|最新評論|发表评论|發表評論|"
                         r"查看全部评论.*|分享到.*)$")

# -- the page's own address and its metadata lines ---------------------------------------------------
CRAWLER_URL = re.compile(r"^(?:URL|Url|url|Source URL|Address)\s*:\s*(?P<url>https?://\S+)$")
CRAWLER_META = re.compile(r"^(?:STATUS|Status|Content-Type|Date|Fetched|TITLE|Title)\s*:\s*\S.*$")
FROM_URL = re.compile(r"^(?:from|From|来自|Saved from|saved from)\s+(?P<url>https?://\S+)$")
READER_ORIGIN = re.compile(r"(?:原文地址|原文链接|原文網址|原文|Original|Source)\s*[:：]?\s*(?:\[[^\]]*\]\()?"
                           r"(?P<url>https?://[^\s)]+)")
FRONT_MATTER = re.compile(r"^(?P<key>[A-Za-z_][\w\-]{0,30})\s*:\s*(?P<value>.*)$")
# 「**作者**: NAME | **发布时间**: TIME | …」 metadata lines of scraper Markdown.
META_AUTHOR = re.compile(r"(?:作者|Author)\s*[:：]\s*(?P<author>[^|]+?)\s*(?:\||$)")
META_TIME = re.compile(rf"(?:发布时间|發布時間|发表时间|時間|时间|Posted|Date)\s*[:：]\s*(?P<time>{DATE})")
META_VIEWS = re.compile(r"(?:查看/回复|查看/回復)\s*[:：]\s*(?P<views>\d+)\s*/\s*(?P<replies>\d+)")
# A Markdown link to a poster's profile (Discuz's space URLs, rewritten or not).
PROFILE_LINK = re.compile(r"\[(?P<name>[^\[\]]{1,40})\]\([^()\s]*(?:space-uid-\d+|mod=space&(?:amp;)?uid=\d+)[^()]*\)")
MD_AVATAR = re.compile(r"avatar", re.I)

# Site navigation links (anatomy §11.1).
NAVIGATION = re.compile(r"^(?:快捷导航|快捷導航|门户|門戶|论坛|論壇|群组|群組|家园|家園|排行榜|导读|導讀|首页|首頁|动态|動態|"
                        r"日志|日誌|相册|相冊|分享|记录|記錄|广播|廣播|Portal|Forum|BBS|Group|Home|Ranklist|Guide|"
                        r"设为首页|設為首頁|收藏本站|切换到|切換到|开启辅助访问|開啟輔助訪問)")

# -- pages that are not threads (§12.23) -------------------------------------------------------------
NOT_THREAD = re.compile(
    r"(?:版块主题|版塊主題|全部主题|全部主題|最后发表|最後發表|发帖时间|發帖時間|今日\s*:\s*\d+\s*\|\s*主题|"
    r"今日\s*:\s*\d+\s*\|\s*主題|提示信息|抱歉，指定的主题不存在|抱歉，指定的主題不存在|"
    r"如果您的浏览器没有自动跳转|如果您的瀏覽器沒有自動跳轉|抱歉，您尚未登录|抱歉，您尚未登錄|"
    r"没有权限访问该版块|沒有權限訪問該版塊|Sorry, the specified thread does not exist|主题回收站|主題回收站|"
    r"回帖回收站|论坛管理|論壇管理|管理面板|^抱歉[，,]|(?<=\n)\s*抱歉[，,]|"
    # a blog list's rows: 「128 次阅读|6 个评论」 (home lang_template 'blog_read', 'blog_replay')
    r"\d+\s*次阅读\s*\|\s*\d+\s*个评论|\d+\s*次閱讀\s*\|\s*\d+\s*個評論)")

# Style and script text that some dumps keep (「.pcb{margin-right:0}」, 「aimgcount[…] = […];」).
CODE_LEAK = re.compile(r"^(?:[.#]?[\w\-]+(?:[ .#>]{1,3}[\w\-]+){0,6}\s*\{[^{}]*\}|var\s+\w+\s*=.*;|"
                       r"\w+(?:\[[^\]]*\])?\s*=\s*\[[^\]]*\];|[\w.]+\([^()]*\);)$")
# Marks a site's word filter leaves in text (「代{过}{滤}理」 for 代理).
WORD_FILTER = re.compile(r"\{[过過]\}\{[滤濾]\}")
