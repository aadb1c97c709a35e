# Helpers for the held-out set.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
def uscc(f17):
    t = sum(USCC_CHARS.index(c) * w for c, w in zip(f17, W))
    r = 31 - t % 31
    return f17 + USCC_CHARS[0 if r == 31 else r]
assert uscc("91110000MA01UCG8X") == "91110000MA01UCG8XQ"

B = {
 "lishui": dict(zh="浙江丽水山耕生态农业有限公司", en="Zhejiang Lishui Shangeng Eco-Agriculture Co., Ltd.",
                uscc=uscc("91331100MA2HK7R3P"), rep_zh="叶志强", rep_en="Ye Zhiqiang",
                proj_zh="丽水高山有机茶园提升项目", proj_en="Lishui Highland Organic Tea Upgrade"),
 "helan": dict(zh="宁夏贺兰山葡萄酒庄园有限公司", en="Ningxia Helan Mountain Winery Co., Ltd.",
               uscc=uscc("91640100MA76QW2E8"), rep_zh="马文海", rep_en="Ma Wenhai",
               proj_zh="贺兰山东麓酒庄扩建项目", proj_en="Helan East Foothills Winery Expansion"),
 "qiongzhong": dict(zh="海南琼中绿橙产业有限公司", en="Hainan Qiongzhong Green Orange Industry Co., Ltd.",
               uscc=uscc("91469030MA5TB41LK"), rep_zh="符海生", rep_en="Fu Haisheng",
               proj_zh="琼中绿橙冷链加工中心项目", proj_en="Qiongzhong Green Orange Cold-Chain Processing Centre"),
 "xilin": dict(zh="内蒙古锡林郭勒风电开发有限公司", en="Inner Mongolia Xilingol Wind Power Development Co., Ltd.",
               uscc=uscc("91152500MA0QJ6N2D"), rep_zh="巴特尔", rep_en="Bateer",
               proj_zh="锡林郭勒100MW风电场项目", proj_en="Xilingol 100 MW Wind Farm"),
 "xiangxi": dict(zh="湖南湘西土家民俗文旅有限公司", en="Hunan Xiangxi Tujia Folk Culture Tourism Co., Ltd.",
               uscc=uscc("91433100MA4R8CX5T"), rep_zh="向红梅", rep_en="Xiang Hongmei",
               proj_zh="湘西土家吊脚楼民宿集群项目", proj_en="Xiangxi Tujia Stilt-House Guesthouse Cluster"),
 "changbai": dict(zh="吉林长白山矿泉水开发有限公司", en="Jilin Changbai Mountain Mineral Water Co., Ltd.",
               uscc=uscc("91220600MA17LP9W4"), rep_zh="金成浩", rep_en="Jin Chenghao",
               proj_zh="长白山天然矿泉水二期灌装线项目", proj_en="Changbai Mountain Mineral Water Bottling Line, Phase II"),
}
