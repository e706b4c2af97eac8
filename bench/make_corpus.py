"""Write a synthetic corpus of meeting news in the genre, and the gold facts it holds.

    python bench/make_corpus.py OUT_DIR [--articles 10000] [--seed 1]

Articles recombine the sentence shapes of the real corpus (lead with date and place,
post chains, name + title, lists under 院领导, roles, quoted goals, 力争/确保 aims,
《…》 documents, boilerplate from scraped pages) with generated people, hospitals,
commissions, dates and targets. The same seed gives the same bytes. OUT_DIR/gold.jsonl
holds every fact written in, in the format of shared/gold/FORMAT.md, so ``kg eval``
measures quality at scale too.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方"]
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华建国文辉玲峰林红斌宇浩凯鹏飞晨瑞博志海波雪梅琳颖婷欣慧鑫俊亮成龙云春荣新永健思远嘉晓立群雷东清正德忠宏庆兴"
)
CITIES = [
    "南昌",
    "九江",
    "赣州",
    "宜春",
    "常德",
    "岳阳",
    "衡阳",
    "株洲",
    "湘潭",
    "邵阳",
    "洛阳",
    "开封",
    "南阳",
    "襄阳",
    "宜昌",
    "荆州",
    "绵阳",
    "德阳",
    "遵义",
    "曲靖",
    "柳州",
    "桂林",
    "泉州",
    "漳州",
    "温州",
    "嘉兴",
    "湖州",
    "绍兴",
    "扬州",
    "镇江",
    "盐城",
    "淮安",
    "临沂",
    "济宁",
    "烟台",
    "威海",
    "保定",
    "邯郸",
    "唐山",
    "大同",
    "包头",
    "锦州",
]
PROVINCES = [
    "江西",
    "湖南",
    "河南",
    "湖北",
    "四川",
    "贵州",
    "云南",
    "广西",
    "福建",
    "浙江",
    "江苏",
    "山东",
    "河北",
    "山西",
]
ORDINALS = "一二三四五六七八"
MEETINGS = [
    "年度工作会议",
    "高质量发展推进会",
    "党风廉政建设工作会议",
    "总结表彰大会",
    "医疗质量安全管理工作会",
    "职工代表大会",
    "等级医院评审动员会",
    "学科建设推进会",
    "半年工作点评会议",
    "安全生产工作会议",
]
AIMS = [
    "通过三级甲等医院复审",
    "实现门急诊服务量稳步增长",
    "建成区域医疗中心",
    "进入全省公立医院绩效考核前十",
    "完成智慧医院三级评审",
    "新增两个省级临床重点专科",
    "实现全年医疗安全零事故",
    "降低平均住院日至7天以内",
]
SLOGANS = ["两个确保,三个提升", "一中心三高地", "三个确保,两个实现", "四个率先", "五大工程"]
DOCS = [
    "高质量发展实施方案",
    "绩效考核实施办法",
    "年度综合目标管理责任书",
    "医疗质量安全提升行动方案",
    "学科建设三年规划",
]
FILLER = [
    "会议指出,全院上下要坚定信心、凝心聚力,以更加务实的作风推动各项工作落地见效。",
    "会上,各科室负责人结合自身工作实际作表态发言。",
    "会议强调,要坚持以人民健康为中心,持续改善医疗服务,不断提升群众满意度。",
    "全年共完成门急诊量120.5万人次,出院患者6.3万人次,较上年同期增长8.2%。",
    "与会人员纷纷表示受益匪浅,将把会议精神落实到具体工作中。",
]


@dataclass
class Article:
    name: str
    lines: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()

    def person(self) -> str:
        while True:
            surname = self.rng.choice(COMPOUND) if self.rng.random() < 0.03 else self.rng.choice(SURNAMES)
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = surname + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def hospital(self) -> tuple[str, str]:
        """(full name, the short form an article may use after it)."""
        city = self.rng.choice(CITIES)
        kind = self.rng.randrange(3)
        if kind == 0:
            n = self.rng.choice(ORDINALS)
            return f"{city}市第{n}人民医院", f"市{n}医院"
        if kind == 1:
            return f"{city}市中心医院", f"{city}市中心医院"
        return f"{city}市中医院", f"{city}市中医院"

    def article(self, index: int) -> Article:
        rng = self.rng
        art = Article(f"{index:06d}.txt")
        hospital, short = self.hospital()
        # Gold files name an organisation by the shortest form the article writes (FORMAT.md).
        org = short if len(short) < len(hospital) else hospital
        city = hospital[: hospital.index("市") + 1]
        commission = f"{city}卫健委"
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        meeting = f"{year}年{rng.choice(MEETINGS)}"
        secretary, president, deputy, chair_gov = self.person(), self.person(), self.person(), self.person()
        leaders = [self.person() for _ in range(rng.randint(2, 4))]
        accountant = self.person()
        name_of = art.name

        def fact(kind: str, **kw: Any) -> None:
            art.facts.append({"article": name_of, "type": kind, **kw})

        if rng.random() < 0.5:
            art.lines += ["当前位置:首页 > 新闻中心 > 医院动态", "医院动态"]
        art.lines.append(f"{hospital}召开{meeting}")
        art.lines.append(
            rng.choice(
                [
                    f"发布时间:{year}-{month:02d}-{day:02d}",
                    f"{year}-{month:02d}-{day:02d}",
                    f"时间:{year}-{month:02d}-{day:02d} 来源:本站 作者:宣传科",
                ]
            )
        )
        where = rng.choice(["", "在门诊楼五楼会议室", "在行政楼学术报告厅"])
        part = rng.choice(["上午", "下午", ""])
        art.lines.append(f"{month}月{day}日{part},{rng.choice(['我院', hospital])}{where}召开{meeting}。")
        fact("held", org=org, meeting=meeting, date=f"{year}-{month:02d}-{day:02d}")

        # Who was there: a commission chain, the hospital's leaders, a list under 院领导.
        gov_line = f"{commission}党组成员、副主任{chair_gov}"
        fact("holds", person=chair_gov, post="党组成员", org=commission)
        fact("holds", person=chair_gov, post="副主任", org=commission)
        art.lines.append(
            f"{gov_line},{hospital}党委书记{secretary},党委副书记、院长{president}出席会议,"
            f"全院中层干部参加会议。会议由党委副书记{deputy}主持。"
        )
        fact("holds", person=secretary, post="党委书记", org=org)
        fact("holds", person=president, post="党委副书记", org=org)
        fact("holds", person=president, post="院长", org=org)
        fact("holds", person=deputy, post="党委副书记", org=org)
        fact("presided", person=deputy, meeting=meeting)
        art.lines.append(f"院领导{'、'.join(leaders)},总会计师{accountant}出席会议。")
        for leader in leaders:
            fact("holds", person=leader, post="院领导", org=org)
            fact("attended", person=leader, meeting=meeting)
        fact("holds", person=accountant, post="总会计师", org=org)
        fact("attended", person=accountant, meeting=meeting)

        # Who spoke, and what was set.
        aims = rng.sample(AIMS, 2)
        art.lines.append(
            f"{president}作{year - 1}年工作报告。报告提出{year}年的主要目标“{(slogan := rng.choice(SLOGANS))}”。"
        )
        fact("spoke", person=president, meeting=meeting)
        fact("set_target", meeting=meeting, target=slogan)
        art.lines.append(rng.choice(FILLER))
        art.lines.append(f"{secretary}在讲话中强调,全院要力争{aims[0]},确保{aims[1]}。")
        fact("spoke", person=secretary, meeting=meeting)
        fact("set_target", meeting=meeting, target=f"力争{aims[0]}")
        fact("set_target", meeting=meeting, target=f"确保{aims[1]}")
        art.lines.append(f"{chair_gov}出席会议并讲话,对医院过去一年的工作给予肯定。")
        fact("spoke", person=chair_gov, meeting=meeting)
        doc = f"{hospital}{rng.choice(DOCS)}"
        art.lines.append(
            f"会上,{accountant}解读了《{doc}》。" if rng.random() < 0.5 else f"会议印发了《{doc}》。"
        )
        if "解读" in art.lines[-1]:
            art.facts = [f for f in art.facts if not (f["type"] == "attended" and f["person"] == accountant)]
            fact("spoke", person=accountant, meeting=meeting)
        fact("document", title=doc, org=org)
        art.lines.append(f"{secretary}书记要求,{short}全体干部职工要以此次会议为契机,扎实推进各项工作。")
        art.lines.append(rng.choice(FILLER))
        if rng.random() < 0.3:
            art.lines += ["推荐阅读", "另一条新闻的标题"]
        return art


def write(out: Path, articles: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    with (out / "gold.jsonl").open("w", encoding="utf-8") as gold:
        for i in range(articles):
            art = gen.article(i)
            (out / "corpus").mkdir(exist_ok=True)
            (out / "corpus" / art.name).write_text("\n".join(art.lines) + "\n", encoding="utf-8")
            for f in art.facts:
                gold.write(json.dumps(f, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.articles, args.seed)


if __name__ == "__main__":
    main()
