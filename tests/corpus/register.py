"""The demo organisation's register (src/demo.rs), as the corpus uses it, and the fictional
people, companies and numbers that are *not* on it.

Everything here is fictional. Keep it in step with src/demo.rs: the expected outcomes in
expected.json are derived from these lists and from DESIGN.md's outcome rules, not from the
checking code.
"""

# --- On the register -------------------------------------------------------------------------

ORG_EN = "International Union Construction Group"
ORG_ZH = "国际联合建设集团"
ORG_USCC = "91110000MA01UCG9YW"
ENTITY_EN = "IUCG Investment Co., Ltd."
ENTITY_ZH = "国际联合建设集团投资有限公司"
ENTITY_USCC = "91110000MA01UCG8XQ"

# Registered signatories for sign_investment_agreement (exhaustive signing policy).
WANG = {"en": "Wang Jianguo", "zh": "王建国", "role_en": "Legal Representative",
        "role_zh": "法定代表人", "phone": "+86 138 0013 8000", "phone_digits": "13800138000",
        "email": "wang.jianguo@iucg.example"}
LI = {"en": "Li Mei", "zh": "李梅", "role_en": "Authorised Representative",
      "role_zh": "授权代表", "phone": "+86 139 0013 9000", "phone_digits": "13900139000",
      "email": "li.mei@iucg.example"}

# Official channels. Websites and bank accounts are under an exhaustive channel policy: any other
# website or bank account is not_authorised; phones and emails are not covered (unknown).
HOTLINE_FORMS = ["+86 10 5555 0100", "010-55550100", "(010) 5555 0100", "+86-10-55550100",
                 "010 5555 0100"]
HOTLINE_DIGITS = "1055550100"
EMAIL = "invest@iucg.example"
WEBSITES = ["https://iucg.example", "iucg.example", "https://invest.iucg.example",
            "www.iucg.example", "invest.iucg.example"]
ACCOUNT_FORMS = ["6222 0210 0100 0012 345", "6222021001000012345", "6222-0210-0100-0012-345"]
ACCOUNT_DIGITS = "6222021001000012345"
ACCOUNT_BANK_EN = "Industrial and Commercial Bank of China, Beijing Chaoyang Branch"
ACCOUNT_BANK_ZH = "中国工商银行北京朝阳支行"

# Fee policy (exhaustive): investment returns and management fees only.

# Warnings.
WARNED_PHONE_FORMS = ["+86 170 0000 1234", "17000001234", "170-0000-1234", "170 0000 1234",
                      "+8617000001234"]
WARNED_PHONE_DIGITS = "17000001234"
WARNED_SITE = "iucg-invest.example"
WARNED_ACCOUNT_FORMS = ["6217 0000 9999 8888 777", "6217000099998888777"]
WARNED_ACCOUNT_DIGITS = "6217000099998888777"

# --- Not on the register ---------------------------------------------------------------------

# People who are no signatories of the group (Chinese name, pinyin). None is a near miss of
# Wang Jianguo or Li Mei.
UNLISTED_PEOPLE = [
    ("钱卫东", "Qian Weidong"), ("刘志刚", "Liu Zhigang"), ("赵海峰", "Zhao Haifeng"),
    ("孙丽娟", "Sun Lijuan"), ("周明辉", "Zhou Minghui"), ("吴俊杰", "Wu Junjie"),
    ("郑国华", "Zheng Guohua"), ("黄晓东", "Huang Xiaodong"), ("何建平", "He Jianping"),
    ("马晓燕", "Ma Xiaoyan"), ("胡志勇", "Hu Zhiyong"), ("林国栋", "Lin Guodong"),
    ("高建军", "Gao Jianjun"), ("徐海涛", "Xu Haitao"), ("朱文斌", "Zhu Wenbin"),
    ("冯雪梅", "Feng Xuemei"), ("蒋振宇", "Jiang Zhenyu"), ("邱少华", "Qiu Shaohua"),
]

TITLES = [("Deputy General Manager", "副总经理"), ("Director of Investment", "投资部总监"),
          ("Project Manager", "项目经理"), ("Regional Director", "区域总监"),
          ("Head of Finance", "财务总监"), ("Vice President", "副总裁")]

# Project companies for Party B (name zh, name en, area code for the USCC, representative zh,
# representative en, project zh, project en). None contains the group's words.
PARTY_B = [
    ("四川蜀南竹海生态农业有限公司", "Sichuan Shunan Bamboo Eco-Agriculture Co., Ltd.", "511500",
     "邓晓川", "Deng Xiaochuan", "蜀南竹海生态农业示范园项目", "Shunan Bamboo Eco-Agriculture Park"),
    ("江西赣江新能源科技有限公司", "Jiangxi Ganjiang New Energy Technology Co., Ltd.", "360100",
     "彭立新", "Peng Lixin", "赣江分布式光伏电站项目", "Ganjiang Distributed Solar Plant"),
    ("云南普洱茶山康养发展有限公司", "Yunnan Pu'er Tea Mountain Wellness Co., Ltd.", "530800",
     "杨春华", "Yang Chunhua", "普洱茶山康养小镇项目", "Pu'er Tea Mountain Wellness Town"),
    ("河南中原冷链物流有限公司", "Henan Zhongyuan Cold Chain Logistics Co., Ltd.", "410100",
     "郭振华", "Guo Zhenhua", "中原冷链物流园二期项目", "Zhongyuan Cold Chain Park, Phase II"),
    ("广西北部湾海洋牧场有限公司", "Guangxi Beibu Gulf Marine Ranch Co., Ltd.", "450500",
     "韦立强", "Wei Liqiang", "北部湾深远海养殖项目", "Beibu Gulf Offshore Aquaculture"),
    ("贵州黔东南苗岭旅游开发有限公司", "Guizhou Miaoling Tourism Development Co., Ltd.", "522600",
     "龙海燕", "Long Haiyan", "苗岭古寨文旅综合体项目", "Miaoling Old Village Tourism Complex"),
    ("山东胶东智慧农业有限公司", "Shandong Jiaodong Smart Agriculture Co., Ltd.", "370600",
     "曲志远", "Qu Zhiyuan", "胶东智慧温室大棚项目", "Jiaodong Smart Greenhouse"),
    ("安徽皖南古村落文化旅游有限公司", "Anhui Wannan Heritage Village Tourism Co., Ltd.", "341000",
     "汪德胜", "Wang Desheng", "皖南古村落保护利用项目", "Wannan Heritage Village Restoration"),
    ("甘肃河西走廊光伏电力有限公司", "Gansu Hexi Corridor Photovoltaic Power Co., Ltd.", "620700",
     "马进财", "Ma Jincai", "河西走廊200MW光伏项目", "Hexi Corridor 200 MW Solar Farm"),
    ("福建闽北生态茶业有限公司", "Fujian Minbei Eco-Tea Co., Ltd.", "350700",
     "詹国平", "Zhan Guoping", "闽北生态茶园扩建项目", "Minbei Eco-Tea Garden Expansion"),
    ("湖北荆楚康养产业园有限公司", "Hubei Jingchu Wellness Park Co., Ltd.", "421000",
     "熊伟", "Xiong Wei", "荆楚康养产业园项目", "Jingchu Wellness Park"),
    ("陕西秦岭水务环保有限公司", "Shaanxi Qinling Water & Environment Co., Ltd.", "610100",
     "薛建平", "Xue Jianping", "秦岭北麓污水处理厂项目", "Qinling North Wastewater Plant"),
]

# Banks for accounts that are not the group's (all account numbers are made up).
OTHER_BANKS = [("中国农业银行深圳福田支行", "Agricultural Bank of China, Shenzhen Futian Branch", "622848"),
               ("中国建设银行广州天河支行", "China Construction Bank, Guangzhou Tianhe Branch", "621700"),
               ("招商银行东莞南城支行", "China Merchants Bank, Dongguan Nancheng Branch", "621483"),
               ("中国邮政储蓄银行昆明盘龙支行", "Postal Savings Bank of China, Kunming Panlong Branch", "621799"),
               ("交通银行海口龙华支行", "Bank of Communications, Haikou Longhua Branch", "622262"),
               ("中国银行厦门思明支行", "Bank of China, Xiamen Siming Branch", "621661")]

# --- Unified Social Credit Codes (GB 32100-2015), with a valid check character --------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(first17):
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    r = 31 - total % 31
    return first17 + USCC_CHARS[0 if r == 31 else r]


assert uscc(ENTITY_USCC[:17]) == ENTITY_USCC and uscc(ORG_USCC[:17]) == ORG_USCC


def party_b_uscc(rng, area):
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return uscc("91" + area + body)


def other_account(rng):
    """A 19-digit account number at another bank, grouped in fours as banks print them."""
    zh, en, prefix = rng.choice(OTHER_BANKS)
    digits = prefix + "".join(rng.choice("0123456789") for _ in range(13))
    assert digits not in (ACCOUNT_DIGITS, WARNED_ACCOUNT_DIGITS)
    grouped = " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return {"zh_bank": zh, "en_bank": en, "digits": digits, "text": grouped}


def other_mobile(rng):
    """A mainland mobile number that is nobody's on the register (136/137/151/186/188)."""
    prefix = rng.choice(["136", "137", "151", "186", "188", "159"])
    rest = "".join(rng.choice("0123456789") for _ in range(8))
    return prefix + rest
