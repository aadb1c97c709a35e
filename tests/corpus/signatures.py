"""Ways of writing who signs for Party A, as real contracts do. Each style returns the signature
page's blocks and the name as written (what the signer finding must contain).

`person` is {"en", "zh", "title_en", "title_zh", "honorific"}; Party B's representative always
signs for Party B too, beside or after Party A, and must not be read as Party A's signer.
"""

from register import ENTITY_EN, ENTITY_ZH


def _b_en(deal):
    return f"Party B: {deal.b_en}"


STYLES = {}


def style(lang):
    def register(fn):
        STYLES[fn.__name__] = (lang, fn)
        return fn
    return register


@style("en")
def signed_for(deal, p, entity):
    return [("p", f"Signed for Party A: {p['en']}\nDate: {deal.date_en}"),
            ("p", f"Signed for Party B: {deal.b_rep_en}\nDate: {deal.date_en}")], p["en"]


@style("en")
def on_behalf(deal, p, entity):
    return [("p", f"For and on behalf of {entity or ENTITY_EN}\nBy: ______________________\n"
             f"Name: {p['en']}\nTitle: {p['title_en']}"),
            ("p", f"For and on behalf of {deal.b_en}\nBy: ______________________\n"
             f"Name: {deal.b_rep_en}\nTitle: Legal Representative")], p["en"]


@style("en")
def authorised_rep(deal, p, entity):
    return [("p", f"Party A: {entity or ENTITY_EN}\nAuthorised representative of Party A: "
             f"{p['en']} (signature)"),
            ("p", f"Party B: {deal.b_en}\nAuthorised representative of Party B: "
             f"{deal.b_rep_en} (signature)")], p["en"]


@style("en")
def seal_line(deal, p, entity):
    return [("p", f"Party A (seal): {entity or ENTITY_EN}    {p['title_en']}: {p['en']}"),
            ("p", f"Party B (seal): {deal.b_en}    Legal representative: {deal.b_rep_en}")], p["en"]


@style("en")
def honorific_en(deal, p, entity):
    return [("p", f"Signed for and on behalf of Party A by {p['honorific']} {p['en']}, "
             f"{p['title_en']}.\nSignature: ____________________"),
            ("p", f"Signed for and on behalf of Party B by {deal.b_rep_en}, Legal "
             "Representative.\nSignature: ____________________")], p["en"]


@style("en")
def table_en(deal, p, entity):
    return [("sig", [f"Party A: {entity or ENTITY_EN}", "(company seal)",
                     f"Signature: {p['en']}", f"Title: {p['title_en']}", f"Date: {deal.date_en}"],
             [f"Party B: {deal.b_en}", "(company seal)", f"Signature: {deal.b_rep_en}",
              "Title: Legal Representative", f"Date: {deal.date_en}"])], p["en"]


@style("en")
def next_line_en(deal, p, entity):
    return [("p", f"PARTY A: {entity or ENTITY_EN}\nAuthorised signatory:\n{p['en']}\n"
             f"{p['title_en']}"),
            ("p", f"PARTY B: {deal.b_en}\nAuthorised signatory:\n{deal.b_rep_en}\n"
             "Legal Representative")], p["en"]


@style("zh")
def seal_zh(deal, p, entity):
    return [("p", f"甲方（盖章）：{entity or ENTITY_ZH}\n法定代表人或授权代表（签字）：{p['zh']}\n"
             f"签署日期：{deal.date_zh}"),
            ("p", f"乙方（盖章）：{deal.b_zh}\n法定代表人或授权代表（签字）：{deal.b_rep_zh}\n"
             f"签署日期：{deal.date_zh}")], p["zh"]


@style("zh")
def qianyue_zh(deal, p, entity):
    return [("p", f"甲方：{entity or ENTITY_ZH}（盖章）\n签约代表：{p['zh']}"),
            ("p", f"乙方：{deal.b_zh}（盖章）\n签约代表：{deal.b_rep_zh}")], p["zh"]


@style("zh")
def jingban_zh(deal, p, entity):
    return [("p", f"甲方（公章）：{entity or ENTITY_ZH}\n经办人：{p['zh']}\n日期：{deal.date_zh}"),
            ("p", f"乙方（公章）：{deal.b_zh}\n经办人：{deal.b_rep_zh}\n日期：{deal.date_zh}")], p["zh"]


@style("zh")
def shouquan_zh(deal, p, entity):
    return [("p", f"甲方：{entity or ENTITY_ZH}\n授权代表签字：{p['zh']}"),
            ("p", f"乙方：{deal.b_zh}\n授权代表签字：{deal.b_rep_zh}")], p["zh"]


@style("zh")
def honorific_zh(deal, p, entity):
    return [("p", f"甲方：{entity or ENTITY_ZH}\n甲方代表（签字）：{p['zh']} {p['title_zh']}"),
            ("p", f"乙方：{deal.b_zh}\n乙方代表（签字）：{deal.b_rep_zh} 董事长")], p["zh"]


@style("zh")
def xiansheng_zh(deal, p, entity):
    mr = "女士" if p["honorific"] == "Ms." else "先生"
    return [("p", f"甲方（盖章）：{entity or ENTITY_ZH}\n代表人：{p['zh']} {mr}（签字）"),
            ("p", f"乙方（盖章）：{deal.b_zh}\n代表人：{deal.b_rep_zh}（签字）")], p["zh"]


@style("zh")
def table_zh(deal, p, entity):
    return [("sig", [f"甲方（盖章）：{entity or ENTITY_ZH}", f"法定代表人或授权代表：{p['zh']}",
                     f"职务：{p['title_zh']}", f"日期：{deal.date_zh}"],
             [f"乙方（盖章）：{deal.b_zh}", f"法定代表人或授权代表：{deal.b_rep_zh}",
              "职务：董事长", f"日期：{deal.date_zh}"])], p["zh"]


@style("zh")
def next_line_zh(deal, p, entity):
    return [("p", f"甲方：{entity or ENTITY_ZH}\n甲方签约代表（签字）：\n{p['zh']}"),
            ("p", f"乙方：{deal.b_zh}\n乙方签约代表（签字）：\n{deal.b_rep_zh}")], p["zh"]


@style("mixed")
def table_mixed(deal, p, entity):
    return [("sig", [f"Party A 甲方: {entity or ENTITY_EN}", "(seal 盖章)",
                     f"By 签字: {p['en']} ({p['zh']})", f"Title 职务: {p['title_en']}"],
             [f"Party B 乙方: {deal.b_en}", "(seal 盖章)",
              f"By 签字: {deal.b_rep_en} ({deal.b_rep_zh})", "Title 职务: Legal Representative"])], p["en"]


@style("mixed")
def seal_mixed(deal, p, entity):
    return [("p", f"甲方（盖章）Party A (seal)：{entity or ENTITY_ZH}\n"
             f"授权代表签字 Authorised signature：{p['zh']} {p['en']}"),
            ("p", f"乙方（盖章）Party B (seal)：{deal.b_zh}\n"
             f"授权代表签字 Authorised signature：{deal.b_rep_zh} {deal.b_rep_en}")], p["zh"]


def sign(style_name, deal, person, entity=None):
    return STYLES[style_name][1](deal, person, entity)


def lang_of(style_name):
    return STYLES[style_name][0]
