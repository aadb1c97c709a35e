from common import B

OFFICIAL_ACCT_EN = """    Beneficiary: {a_en}
    Bank: Industrial and Commercial Bank of China, Beijing Chaoyang Branch
    Account No.: 6222 0210 0100 0012 345"""

def en_formal(b, *, a_en="IUCG Investment Co., Ltd.", a_uscc="91110000MA01UCG8XQ", recital_a=None,
              date="12 March 2026", amount="RMB 25,000,000 (twenty-five million yuan)",
              fee_clause="", acct=None, verify=None, extra="", sig="", no="IUCG-INV-2026-0312"):
    b = B[b]
    recital_a = recital_a or "Party A is the investment subject of International Union Construction Group and makes project investments on its behalf."
    acct = acct or OFFICIAL_ACCT_EN.format(a_en=a_en)
    verify = verify if verify is not None else (
        "4.1 Party B may verify this Agreement, and any request made in Party A's name, through Party A's "
        "official channels only: hotline (010) 5555 0100, email invest@iucg.example, website www.iucg.example.")
    return f"""INVESTMENT AGREEMENT

Agreement No. {no}

This Investment Agreement (this "Agreement") is entered into on {date} in Beijing by and between:

(1) {a_en}, a limited liability company incorporated under the laws of the People's Republic of China (Unified Social Credit Code: {a_uscc}), having its registered office at 18/F, Tower B, No. 6 Chaoyang Park Road, Chaoyang District, Beijing ("Party A" or the "Investor"); and

(2) {b['en']}, a limited liability company incorporated under the laws of the People's Republic of China (Unified Social Credit Code: {b['uscc']}) ("Party B" or the "Company").

Party A and Party B are each a "Party" and together the "Parties".

WHEREAS:

(A) {recital_a}

(B) Party B is developing the {b['proj_en']} (the "Project") and wishes to obtain investment for the Project from Party A.

NOW, THEREFORE, in consideration of the mutual covenants set out herein, the Parties agree as follows:

1. INVESTMENT

1.1 Party A agrees to invest {amount} (the "Investment Amount") in the Project.

1.2 The Investment Amount shall be disbursed in two instalments. The second instalment shall be disbursed after Party A has accepted Party B's written progress report for the first milestone.

2. RETURNS AND FEES

2.1 Party B shall pay Party A a fixed investment return of 7% per annum on the outstanding Investment Amount, payable semi-annually in arrears.

2.2 Party B shall pay Party A an annual management fee equal to 1% of the Investment Amount, payable within fifteen (15) Business Days after each anniversary of this Agreement.
{fee_clause}
3. PAYMENTS

3.1 All payments by Party B under this Agreement shall be made by wire transfer to the following account of Party A:

{acct}

4. VERIFICATION AND NOTICES

{verify}

5. REPRESENTATIONS

5.1 Each Party represents that it has full power and authority to enter into and perform this Agreement.
{extra}
6. GOVERNING LAW AND DISPUTE RESOLUTION

6.1 This Agreement shall be governed by and construed in accordance with the laws of the People's Republic of China.

6.2 Any dispute arising out of or in connection with this Agreement shall be submitted to the Beijing Arbitration Commission for arbitration in accordance with its rules then in effect.

7. MISCELLANEOUS

7.1 This Agreement shall become effective upon signature and sealing by both Parties and is executed in two (2) counterparts, each of which shall be deemed an original.

IN WITNESS WHEREOF, the Parties have caused this Agreement to be executed by their duly authorised representatives as of the date first written above.

{sig}
"""

OFFICIAL_ACCT_ZH = """户　名：{a_zh}
开户行：中国工商银行北京朝阳支行
账　号：6222 0210 0100 0012 345"""

def zh_formal(b, *, a_zh="国际联合建设集团投资有限公司", a_label="甲方（投资方）：", a_uscc="91110000MA01UCG8XQ",
              a_rep="王建国", recital="甲方系国际联合建设集团下属投资主体，具备相应的投资能力", fee="", acct=None,
              verify=None, extra="", sig="", no="GJLH-TZ-2026-0318", contact=""):
    b = B[b]
    acct = acct or OFFICIAL_ACCT_ZH.format(a_zh=a_zh)
    verify = verify if verify is not None else "8.3　乙方可通过甲方官方渠道核实本协议及以甲方名义提出的任何要求：客服热线010-5555-0100，电子邮箱invest@iucg.example，官方网站www.iucg.example。"
    rep_line = f"法定代表人：{a_rep}\n" if a_rep else ""
    return f"""项目投资合作协议书

合同编号：{no}
签订地点：北京市朝阳区

{a_label}{a_zh}
统一社会信用代码：{a_uscc}
{rep_line}住所地：北京市朝阳区朝阳公园路6号B座18层
{contact}
乙方（融资方）：{b['zh']}
统一社会信用代码：{b['uscc']}
法定代表人：{b['rep_zh']}

鉴于：
1．{recital}；
2．乙方拟建设{b['proj_zh']}（以下简称“本项目”），需引入项目资金。

根据《中华人民共和国民法典》等有关法律法规的规定，甲乙双方在平等、自愿、诚实信用的基础上，经充分协商，达成如下协议，以资共同遵守。

第一条　投资标的
1.1　甲方以现金方式对本项目进行投资，本项目的建设内容、选址及进度节点详见附件一。

第二条　投资金额及拨付
2.1　甲方同意向本项目投资人民币叁仟万元整（¥30,000,000.00）。
2.2　投资款分三期拨付，每期投资款在甲方书面确认乙方上一阶段建设进度后十五个工作日内拨付。

第三条　投资收益与管理费
3.1　乙方按实际到位投资额年化百分之七（7%）向甲方支付固定投资收益，每半年支付一次。
3.2　乙方每年按投资总额的百分之一（1%）向甲方支付管理费。
{fee}
第四条　收款账户
乙方依本协议应向甲方支付的全部款项，均应汇入甲方以下银行账户：
{acct}

第五条　双方的权利义务
5.1　甲方有权对本项目资金使用情况进行监督检查，乙方应予配合。
5.2　乙方应专款专用，不得将投资款挪作他用。
{extra}
第六条　违约责任
任何一方违反本协议约定的，应赔偿由此给守约方造成的全部损失。

第七条　争议解决
凡因本协议引起的或与本协议有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向甲方所在地有管辖权的人民法院提起诉讼。

第八条　其他
8.1　本协议一式肆份，甲乙双方各执贰份，具有同等法律效力。
8.2　本协议自双方法定代表人或授权代表签字并加盖公章之日起生效。
{verify}

（以下无正文，为签署页）

{sig}
"""

def mixed(b, *, fee_en="", fee_zh="", extra_en="", extra_zh="", sig="", title="投资合作协议 Investment Cooperation Agreement"):
    b = B[b]
    return f"""{title}

甲方 Party A：国际联合建设集团投资有限公司 IUCG Investment Co., Ltd.
统一社会信用代码 USCC：91110000MA01UCG8XQ

乙方 Party B：{b['zh']} {b['en']}
统一社会信用代码 USCC：{b['uscc']}

一、投资 Investment
甲方向乙方{b['proj_zh']}投资人民币贰仟万元整。
Party A shall invest RMB 20,000,000 in Party B's {b['proj_en']}.

二、收益与管理费 Returns and management fee
乙方按年化6.8%向甲方支付投资收益，并每年按投资额的1.2%支付管理费。
Party B shall pay Party A investment returns of 6.8% per annum and an annual management fee of 1.2% of the amount invested.
{fee_zh}{fee_en}
三、付款 Payments
一切款项均付至：中国工商银行北京朝阳支行，户名国际联合建设集团投资有限公司，账号6222021001000012345。
All payments go to ICBC Beijing Chaoyang Branch, account name IUCG Investment Co., Ltd., account no. 6222021001000012345.
{extra_zh}{extra_en}
四、核实 Verification
核实渠道 Official channels：+86-10-55550100 / invest@iucg.example / https://iucg.example

五、生效 Effect
本协议自双方签字盖章之日起生效。This Agreement takes effect upon signature and seal by both Parties.

{sig}
"""
