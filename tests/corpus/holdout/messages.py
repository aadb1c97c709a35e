ITEMS = []
def add(name, lang, cat, outcome, findings, note, text):
    ITEMS.append(dict(name=name, kind="message", language=lang, category=cat, outcome=outcome,
                      findings=[dict(field=f, result=r, contains=c) for f, r, c in findings], note=note, text=text))

# ---------------- fee ----------------
add("fee_h11_msg_jiedongfei_sms", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "解冻费")],
    "SMS: the income account is frozen, pay a 解冻费 of 8千元 within 24h. The other mobile (王经理 136…) is not on the register (phones unknown).",
    "【IUCG】尊敬的客户：您的收益账户因操作异常已被系统冻结，请于24小时内缴纳解冻费8千元，逾期账户资金将被清零。详询客服王经理 136 1234 5678\n")
add("fee_h12_msg_baozhengjin_2w", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "保证金")],
    "WeChat: before release, pay a 保证金 of 2w (20,000), refunded 'instantly'.",
    "亲 审核已经过了哈～ 放款前要交个保证金 2w，到账后秒退的，放心👌👌\n")
add("fee_h13_msg_tongdaofei_5000", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "通道费")],
    "The withdrawal needs a 'green channel'; pay a 通道费 of ¥5,000.",
    "您好，您的提现已进入处理流程。由于跨行大额转账需开通绿色通道，请先缴纳通道费¥5,000，缴纳后约30分钟到账。\n")
add("fee_h14_msg_yanzhengjin_personal", "zh", "fee", "fraud_risk",
    [("fee", "fraud_risk", "验证金"), ("bank_account", "not_authorised", "6217888823456789012")],
    "Pay 5000元 验证金 into a personal account (户名 李红霞) to 'verify repayment ability'.",
    "为了验证一下您的还款能力，需要转5000元验证金到下面的账户，验证完马上原路退回🙏\n户名：李红霞\n卡号：6217 8888 2345 6789 012\n开户行：建设银行\n")
add("fee_h15_msg_en_unlock_fee", "en", "fee", "fraud_risk", [("fee", "fraud_risk", "unlock fee")],
    "Chat English with abbreviations: payout on hold, pay the unlock fee $1,500 first.",
    "Hi Sir, ur payout of USD 58,000 is on hold rn. pls pay the unlock fee $1,500 first then funds release immediately 🙏🙏\n")
add("fee_h16_msg_en_processing_fee", "en", "fee", "fraud_risk", [("fee", "fraud_risk", "processing fee")],
    "Formal-looking English: a processing fee of ¥3,200 is required to complete the dividend transfer.",
    "Dear valued investor,\nA processing fee of ¥3,200 is required to complete your dividend transfer. Kindly remit today to avoid any delay.\nBest regards\n")
add("fee_h17_msg_mixed_shuifei", "mixed", "fee", "fraud_risk", [("fee", "fraud_risk", "税费")],
    "Mixed: before withdrawing pay 税费 (tax 10%), i.e. 1.2万.",
    "提现前需要先交税费 tax 10%，也就是1.2万，交完马上到账哈\n")
add("fee_h18_msg_shouxufei_188", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "手续费")],
    "Pressure message: the 手续费 is only 188元.",
    "手续费才188元，交了就能提现了，别犹豫啦😊 名额有限哦\n")
add("fee_h19_msg_en_wang_deposit_personal", "en", "fee", "fraud_risk",
    [("fee", "fraud_risk", "deposit"), ("bank_account", "not_authorised", "6228481122334455667")],
    "Someone signing as Wang Jianguo asks for RMB 20,000 'as a deposit' into his personal account at ABC.",
    "Wang Jianguo here. Before we release the first tranche pls transfer RMB 20,000 as a deposit to my personal account 6228 4811 2233 4455 667 (Agricultural Bank). Will refund after.\n")

# ---------------- contact ----------------
add("contact_h11_msg_wang_new_number_zh", "zh", "contact", "fraud_risk", [("phone", "fraud_risk", "15188886666")],
    "Someone claiming to be 王建国 of the group gives a new mobile 151 8888 6666 (his registered one is 138 0013 8000).",
    "我是国际联合建设集团的王建国，这是我新的微信和手机号 151 8888 6666，以后有事直接联系这个号码，原来的号不用了\n")
add("contact_h12_msg_wang_private_line_en", "en", "contact", "fraud_risk", [("phone", "fraud_risk", "13724681357")],
    "'Wang Jianguo speaking (IUCG)' with a 'private line' +86 137 2468 1357.",
    "Hello, Wang Jianguo speaking (IUCG). Pls save my private line +86 137 2468 1357, the office number is always busy.\n")
add("contact_h13_msg_official_only", "zh", "contact", "unknown", [("phone", "verified", "1055550100"), ("email", "verified", "invest@iucg.example")],
    "Official hotline (spaced) and email only.",
    "有疑问可以打集团热线 010 5555 0100，或者发邮件到 invest@iucg.example 核实一下，别听中间人的\n")
add("contact_h14_msg_warned_phone_hyphen", "zh", "contact", "fraud_risk", [("phone", "fraud_risk", "17000001234")],
    "The warned number in hyphenated form as a '24-hour service line'.",
    "【项目客服】合同办理进度请咨询客服专线：170-0000-1234（24小时在线）\n")
add("contact_h15_msg_other_account_cmb", "zh", "contact", "not_authorised", [("bank_account", "not_authorised", "6214832011223344556")],
    "A new account at 招商银行 for the investment: not the group's account.",
    "以后投资款打到这个账户：6214 8320 1122 3344 556 招商银行，原来那个账户在年审，暂时不能用\n")
add("contact_h16_msg_lookalike_domain", "en", "contact", "fraud_risk", [("website", "fraud_risk", "iucg-app.example")],
    "A lookalike domain iucg-app.example to 'track returns'.",
    "Download our app or login at iucg-app.example to track your returns 📈 new investors get priority\n")

# ---------------- party ----------------
add("party_h11_msg_konggu_sms", "zh", "party", "fraud_risk", [("company", "fraud_risk", "国际联合建设集团投资控股")],
    "SMS headed with the lookalike 国际联合建设集团投资控股有限公司.",
    "【国际联合建设集团投资控股有限公司】恭喜您获得本期项目优先认购资格，详情请回复1或咨询您的专属客户经理。\n")
add("party_h12_msg_iucg_capital_holdings", "en", "party", "fraud_risk", [("company", "fraud_risk", "IUCG Capital Holdings")],
    "'Kevin from IUCG Capital Holdings Ltd': a lookalike of the investment subject.",
    "Hi, this is Kevin from IUCG Capital Holdings Ltd, we handle the overseas projects for the group. Got a min to chat?\n")
add("party_h13_msg_genuine_with_uscc", "zh", "party", "unknown", [("company", "verified", "国际联合建设集团投资有限公司")],
    "The genuine investment subject with its USCC, checked.",
    "对方是国际联合建设集团投资有限公司，统一社会信用代码91110000MA01UCG8XQ，我在信用中国上查过了，没问题\n")

# ---------------- signer ----------------
add("signer_h11_msg_zhangwei_fuzong", "zh", "signer", "not_authorised", [("signer", "not_authorised", "张伟")],
    "Running text: Party A's side was signed by 张伟 (副总) — not a registered signatory.",
    "协议甲方那边是张伟副总签的字，章也盖好了，您看一下没问题就签吧\n")
add("signer_h12_msg_en_zhouhang_signed", "en", "signer", "not_authorised", [("signer", "not_authorised", "Zhou Hang")],
    "'The agreement was signed on behalf of IUCG by Mr. Zhou Hang, Vice President' — not a registered signatory.",
    "The agreement was signed on behalf of IUCG by Mr. Zhou Hang, Vice President, last Friday. Scan attached.\n")
add("signer_h13_msg_limei_lizong", "zh", "signer", "unknown", [("signer", "verified", "李梅")],
    "'李梅李总已经代表甲方签好了': registered signatory.",
    "李梅李总已经代表甲方签好了，原件今天顺丰寄出📦\n")

# ---------------- negation ----------------
add("negation_h11_msg_official_statement", "zh", "negation", "unknown", [("phone", "verified", "1055550100")],
    "Official notice: 我司从不收取任何保证金、解冻费、手续费；凡要求缴纳解冻费的均为诈骗; official hotline.",
    "【国际联合建设集团】郑重声明：我司从不收取任何保证金、解冻费、手续费，凡要求缴纳解冻费的均为诈骗，请勿轻信！官方热线010-55550100\n")
add("negation_h12_msg_en_never_ask", "en", "negation", "unknown", [("email", "verified", "invest@iucg.example")],
    "'IUCG will never ask you to pay a deposit, an unlock fee or a processing fee' + official email.",
    "IUCG will never ask you to pay a deposit, an unlock fee or a processing fee. If anyone does, report it to invest@iucg.example.\n")
add("negation_h13_msg_kefu_bu_xuyao", "zh", "negation", "unknown", [],
    "The group's customer service said no fee is needed; whoever asks for 验证金 is a scammer.",
    "我问过集团客服了，提现不需要交任何费用，那个让交验证金的是骗子🙅\n")
add("negation_h14_msg_ba_bie_zhuan", "zh", "negation", "unknown", [],
    "Family warning: don't transfer the 2w 保证金, real companies don't charge it.",
    "爸 你别转那个2w的保证金啊！！人家正规公司根本不收这个，是骗子\n")
add("negation_h15_msg_en_fyi_no_fee", "en", "negation", "unknown", [],
    "'there's no processing fee or tax to pay upfront'.",
    "just fyi there's no processing fee or tax to pay upfront, returns are paid straight to your account each quarter 👍\n")
add("negation_h16_msg_wenxin_tishi", "zh", "negation", "unknown", [],
    "Notice: apart from returns and management fee, refuse anyone asking for 通道费/税费.",
    "温馨提示：除投资收益和管理费以外，任何人以任何理由让您交“通道费”“税费”，都请直接拒绝并报警。\n")

# ---------------- clean ----------------
add("clean_h11_msg_wangzong_jindiao", "zh", "clean", "unknown", [],
    "Ordinary work chat addressing 王总.",
    "王总，项目二期的尽调材料我周四带过去，顺便看下工地进度🙂\n")
add("clean_h12_msg_mgmt_fee_invoice", "en", "clean", "unknown", [],
    "The allowed management fee's invoice.",
    "Q2 management fee invoice attached, pls process when u can. thx\n")
add("clean_h13_msg_shouyi_8qian", "zh", "clean", "unknown", [],
    "Investment returns of 8千 received as agreed.",
    "收到8千的投资收益了，和合同约定的一致👍 明天去银行打个流水\n")
