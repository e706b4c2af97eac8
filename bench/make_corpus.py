"""Write a synthetic corpus of meeting news in the genre, and the gold facts it holds.

    python bench/make_corpus.py OUT_DIR [--articles 10000] [--seed 1]

Articles recombine the sentence shapes of the real corpus (lead with date and place,
post chains, name + title, lists under 院领导, roles, quoted goals, 力争/确保 aims,
《…》 documents, boilerplate from scraped pages) with generated people, hospitals,
commissions, dates and targets. The same seed gives the same bytes. OUT_DIR/gold.jsonl
holds every fact written in, in the format of shared/gold/FORMAT.md, so ``kg eval``
measures quality at scale too.

The articles share one world: each hospital keeps its leaders from story to story, each
city its commission, so the same person and the same hospital come back under the same or
another name (市二医院 beside 南昌市第二人民医院, 南昌二院 introduced by 以下简称), and some
leaders of different hospitals share a name on purpose (homonyms). OUT_DIR/identity.jsonl
says who is who: one line per name an article writes for a person or an organisation, with
the id of the real entity, which ``kg eval --identity`` scores resolution against.

Leadership changes over the years 2019–2024: each hospital's party secretary and president
serve terms of two to five years; a new term is often announced at a meeting (任命…为 / 聘任,
免去…职务, 不再担任), some leaders are re-elected (当选为), and some move to lead another
hospital. OUT_DIR/tenures.jsonl holds the tenures the corpus supports, as a careful reader
would date them from what is written (FORMAT of ``kg eval --tenures``): start = the stated
appointment or the first story that shows them in office; end = the stated removal, else the
next holder's start for a post one person holds at a time, else open (a leader removed in
the only story that names them has a tenure with no start).
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
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

# The body of a real report is mostly prose around the facts: work reviewed, measures, exhortations
# (the five seeds average 2,944 characters and 28 gold facts; these average about the same). These
# shapes carry no fact of the gold kinds, but do carry the words that wake the extractors (医院, 全院,
# 卫生健康, 科室, 书记), so the synthetic corpus costs what a real one costs to read.
PROSE = [
    "{year0}年,{short}紧紧围绕年度目标任务,坚持以患者为中心,全面加强医疗质量管理,各项工作取得新进展。",
    "全年完成门急诊量{n1}.{d1}万人次,同比增长{p1}.{d2}%;出院患者{n2}.{d1}万人次,手术{n3}台次。",
    "医院持续深化{dept}、{dept2}等重点专科建设,新技术新项目开展{n3}项,临床服务能力稳步提升。",
    "在公立医院绩效考核中,医院综合排名较上年前移{n4}位,患者满意度达到{p2}.{d2}%。",
    "一年来,医院党委认真落实管党治党政治责任,把党的建设贯穿医院改革发展全过程。",
    "各支部结合科室实际开展主题党日活动{n4}次,党员干部的责任意识和服务意识进一步增强。",
    "医院积极推进智慧医院建设,上线预约诊疗、移动支付和检查结果互认等便民服务功能。",
    "下一步,全院干部职工要进一步统一思想、提高认识,切实把思想和行动统一到医院党委的决策部署上来。",
    "要牢固树立以人民健康为中心的发展思想,持续改善就医体验,让群众看病就医更方便、更舒心。",
    "要进一步加强医德医风建设,严格落实医疗卫生行业九项准则,坚决纠正行业不正之风。",
    "要坚持问题导向,聚焦群众反映强烈的挂号难、排队长、停车难等问题,逐项研究解决办法。",
    "要加强人才队伍建设,完善人才引进、培养和使用机制,为医院高质量发展提供坚实的人才支撑。",
    "要抓好安全生产和医疗安全,压实科室主体责任,扎实开展隐患排查整治,守牢安全底线。",
    "要强化成本管控和精细化管理,优化收入结构,提升运营效率,推动医院由规模扩张转向提质增效。",
    "要加强医联体建设,推动优质医疗资源下沉,帮助基层医疗卫生机构提升服务能力。",
    "{dept}主任代表临床科室发言,介绍了科室在学科建设、人才培养和技术创新方面的做法和体会。",
    "护理部围绕优质护理服务示范工程,介绍了延续护理、专科护士培养和护理质量控制等工作情况。",
    "医务部通报了{year0}年度医疗质量控制指标完成情况,并对存在的问题提出整改意见。",
    "财务科就预算执行、成本核算和医保基金使用情况作了说明,提醒各科室严格执行财经纪律。",
    "会议还对{year0}年度先进科室、优秀共产党员和优秀医务工作者进行了表彰,共有{n4}个集体、{n3}名个人受到表彰。",
    "大家一致认为,过去一年医院发展成绩来之不易,是全院职工团结拼搏、攻坚克难的结果。",
    "面对新形势新任务,医院既面临难得的发展机遇,也面临医保支付方式改革等带来的严峻挑战。",
    "全院上下要增强忧患意识和责任意识,以时不我待、只争朝夕的精神状态投入到各项工作中去。",
    "各职能部门要主动靠前服务,加强沟通协调,形成上下联动、齐抓共管的工作合力。",
    "要坚持把疫情防控和日常诊疗统筹起来,落实预检分诊和院感防控各项措施,维护正常医疗秩序。",
    "院感科、保卫科、后勤保障部等部门分别汇报了近期重点工作推进情况和下一步工作打算。",
    "医院投入资金{n3}万元更新大型医疗设备,改造病区{n4}个,就医环境得到明显改善。",
    "通过开展“进一步改善医疗服务行动”,门诊平均候诊时间缩短{n4}分钟,床位使用率保持在{p2}%左右。",
]
DEPTS = [
    "心血管内科",
    "神经外科",
    "呼吸与危重症医学科",
    "消化内科",
    "骨科",
    "妇产科",
    "儿科",
    "急诊科",
    "肿瘤科",
    "康复医学科",
]


@dataclass
class Article:
    name: str
    lines: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    identity: list[dict[str, str]] = field(default_factory=list)  # name as written → real entity


@dataclass
class Person:
    id: str
    name: str


@dataclass
class Term:
    person: Person
    start: date
    announce: bool  # a story soon after the start states the appointment
    form: int  # which of the genre's ways of stating it


@dataclass(frozen=True)
class Observation:
    """A holds fact as written in one story: what the tenure gold is read from."""

    person: Person
    post: str
    org: str  # the organisation's full name
    day: date
    change: str = ""  # "start" or "end" where the text states one


TERM_ROLES = {"secretary": "党委书记", "president": "院长"}  # roles whose holders change
SINGLE_HOLDER = {"党委书记", "院长", "总会计师"}  # a new holder ends the previous one's tenure
FIRST_DAY, LAST_DAY = date(2017, 1, 1), date(2025, 12, 31)
MOVER_RATE = 0.1  # how often a new term goes to someone whose term elsewhere has ended


@dataclass
class Hospital:
    name: str  # its full name, which is also its id
    short: str  # the form its stories use after the full one (市二医院), or the full name again
    abbreviation: str  # what a story may introduce with 以下简称 (南昌二院), "" where none fits
    leaders: dict[str, Person] = field(default_factory=dict)  # role → person, kept across stories


HOMONYM_RATE = 0.08  # how often a new leader takes the name of someone at another hospital


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()
        self.people = 0
        self.hospitals: dict[str, Hospital] = {}
        self.commissions: dict[str, dict[str, Person]] = {}
        self.terms: dict[tuple[str, str], list[Term]] = {}  # (hospital, role) → its terms in order
        self.free: list[tuple[date, Person]] = []  # leaders whose term ended, who may move
        self.observations: list[Observation] = []

    def person(self) -> str:
        while True:
            surname = self.rng.choice(COMPOUND) if self.rng.random() < 0.03 else self.rng.choice(SURNAMES)
            given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2, 2))))
            name = surname + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def leader(self, staff: dict[str, Person], role: str) -> Person:
        """The one who holds ``role`` in this body, made the first time it is asked for."""
        if role not in staff:
            self.people += 1
            others = sorted(self.used_names - {p.name for p in staff.values()})
            homonym = others and self.rng.random() < HOMONYM_RATE
            name = self.rng.choice(others) if homonym else self.person()
            staff[role] = Person(f"P{self.people}", name)
        return staff[role]

    def terms_of(self, hospital: str, role: str) -> list[Term]:
        """The role's holders from 2017 to 2025, drawn the first time the hospital is written about."""
        key = (hospital, role)
        if key not in self.terms:
            rng, terms, day = self.rng, [], FIRST_DAY - timedelta(days=self.rng.randint(0, 900))
            while day <= LAST_DAY:
                movers = [p for p in self.free if p[0] < day]
                if terms and movers and rng.random() < MOVER_RATE:
                    chosen = rng.choice(movers)
                    self.free.remove(chosen)
                    person = chosen[1]
                else:
                    self.people += 1
                    person = Person(f"P{self.people}", self.person())
                terms.append(Term(person, day, rng.random() < 0.7, rng.randrange(3)))
                day += timedelta(days=rng.randint(700, 1800))
                self.free.append((day, person))
            self.terms[key] = terms
        return self.terms[key]

    def term_at(self, hospital: str, role: str, day: date) -> tuple[Term, Term | None]:
        """The term in force on ``day``, and the one before it."""
        terms = self.terms_of(hospital, role)
        i = max(k for k, t in enumerate(terms) if t.start <= day)
        return terms[i], terms[i - 1] if i else None

    def hospital(self) -> Hospital:
        city = self.rng.choice(CITIES)
        kind = self.rng.randrange(3)
        if kind == 0:
            n = self.rng.choice(ORDINALS)
            full, short, abbreviation = f"{city}市第{n}人民医院", f"市{n}医院", f"{city}{n}院"
        elif kind == 1:
            full, short, abbreviation = f"{city}市中心医院", f"{city}市中心医院", ""
        else:
            full, short, abbreviation = f"{city}市中医院", f"{city}市中医院", ""
        return self.hospitals.setdefault(full, Hospital(full, short, abbreviation))

    def paragraph(self, short: str, year: int) -> str:
        rng = self.rng
        depts = rng.sample(DEPTS, 2)
        slots = {
            "short": short if rng.random() < 0.5 else "我院",
            "year0": year - 1,
            "dept": depts[0],
            "dept2": depts[1],
            "n1": rng.randint(20, 300),
            "n2": rng.randint(2, 30),
            "n3": rng.randint(10, 900),
            "n4": rng.randint(2, 40),
            "p1": rng.randint(1, 20),
            "p2": rng.randint(85, 99),
            "d1": rng.randint(0, 9),
            "d2": rng.randint(0, 9),
        }
        return "".join(rng.choice(PROSE).format(**slots) for _ in range(rng.randint(2, 4)))

    def article(self, index: int) -> Article:
        rng = self.rng
        art = Article(f"{index:06d}.txt")
        place = self.hospital()
        hospital, short = place.name, place.short
        # Gold files name an organisation by the shortest form the article writes (FORMAT.md).
        org = short if len(short) < len(hospital) else hospital
        city = hospital[: hospital.index("市") + 1]
        commission = f"{city}卫健委"
        year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        today = date(year, month, day)
        meeting = f"{year}年{rng.choice(MEETINGS)}"
        staff = place.leaders
        who = {role: self.leader(staff, role) for role in ("deputy", "accountant")}
        terms = {role: self.term_at(hospital, role, today) for role in TERM_ROLES}
        for role, (term, _) in terms.items():
            who[role] = term.person
        who["chair_gov"] = self.leader(self.commissions.setdefault(commission, {}), "deputy director")
        board = [self.leader(staff, f"leader {i}") for i in range(rng.randint(4, 6))]
        chosen = rng.sample(board, rng.randint(2, 4))
        secretary, president, deputy = who["secretary"].name, who["president"].name, who["deputy"].name
        accountant, chair_gov = who["accountant"].name, who["chair_gov"].name
        leaders = [p.name for p in chosen]
        name_of = art.name

        def fact(kind: str, **kw: Any) -> None:
            art.facts.append({"article": name_of, "type": kind, **kw})

        def seen(person: Person, post: str, org_full: str, change: str = "") -> None:
            self.observations.append(Observation(person, post, org_full, today, change))

        def known(kind: str, name: str, entity: str) -> None:
            art.identity.append({"article": name_of, "type": kind, "name": name, "id": entity})

        for person in [*who.values(), *chosen]:
            known("person", person.name, person.id)
        known("organisation", hospital, hospital)
        known("organisation", commission, commission)
        if short != hospital:
            known("organisation", short, hospital)
        abbreviation = place.abbreviation if place.abbreviation and rng.random() < 0.3 else ""

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
        if abbreviation:
            known("organisation", abbreviation, hospital)
            art.lines.append(
                f"{hospital}(以下简称“{abbreviation}”)始建于{rng.randint(1930, 1990)}年,"
                f"是一所集医疗、教学、科研于一体的三级综合医院。"
            )
        fact("held", org=org, meeting=meeting, date=f"{year}-{month:02d}-{day:02d}")

        # Who was there: a commission chain, the hospital's leaders, a list under 院领导.
        gov_line = f"{commission}党组成员、副主任{chair_gov}"
        fact("holds", person=chair_gov, post="党组成员", org=commission)
        fact("holds", person=chair_gov, post="副主任", org=commission)
        seen(who["chair_gov"], "党组成员", commission)
        seen(who["chair_gov"], "副主任", commission)
        art.lines.append(
            f"{gov_line},{hospital}党委书记{secretary},党委副书记、院长{president}出席会议,"
            f"全院中层干部参加会议。会议由党委副书记{deputy}主持。"
        )
        fact("holds", person=secretary, post="党委书记", org=org)
        fact("holds", person=president, post="党委副书记", org=org)
        fact("holds", person=president, post="院长", org=org)
        fact("holds", person=deputy, post="党委副书记", org=org)
        fact("presided", person=deputy, meeting=meeting)
        for role, post in (("secretary", "党委书记"), ("president", "党委副书记"), ("president", "院长")):
            seen(who[role], post, hospital)
        seen(who["deputy"], "党委副书记", hospital)
        for role, (term, before) in terms.items():
            if before is not None and term.announce and 0 <= (today - term.start).days <= 150:
                art.lines.append(self.announcement(term, before, TERM_ROLES[role], hospital, commission))
                # the new holder's holds fact is the chain's above: one gold line per fact
                fact("holds", person=before.person.name, post=TERM_ROLES[role], org=org, former=True)
                seen(term.person, TERM_ROLES[role], hospital, "start")
                seen(before.person, TERM_ROLES[role], hospital, "end")
                known("person", before.person.name, before.person.id)
        if rng.random() < 0.1:  # re-elected: a start while in office changes nothing
            art.lines.append(f"会议选举产生了新一届医院党委,{secretary}当选为党委书记。")
            seen(who["secretary"], "党委书记", hospital, "start")
        art.lines.append(f"院领导{'、'.join(leaders)},总会计师{accountant}出席会议。")
        for leader, person in zip(leaders, chosen, strict=True):
            seen(person, "院领导", hospital)
            fact("holds", person=leader, post="院领导", org=org)
            fact("attended", person=leader, meeting=meeting)
        fact("holds", person=accountant, post="总会计师", org=org)
        seen(who["accountant"], "总会计师", hospital)
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
        for _ in range(rng.randint(14, 26)):
            art.lines.append(self.paragraph(short, year))
        art.lines.append(f"{secretary}书记要求,{short}全体干部职工要以此次会议为契机,扎实推进各项工作。")
        if abbreviation:
            art.lines.append(f"{abbreviation}全体干部职工表示,将以更加饱满的热情投入到工作中。")
        art.lines.append(rng.choice(FILLER))
        if rng.random() < 0.3:
            art.lines += ["推荐阅读", "另一条新闻的标题"]
        return art

    @staticmethod
    def announcement(term: Term, before: Term, post: str, hospital: str, commission: str) -> str:
        new, old = term.person.name, before.person.name
        if term.form == 0:
            return (
                f"会上宣读了{commission}关于{hospital}主要负责人任免的决定:"
                f"任命{new}为{hospital}{post},免去{old}的{hospital}{post}职务。"
            )
        if term.form == 1:
            return f"会议宣布了{commission}的决定,{new}同志任{hospital}{post},{old}同志不再担任{hospital}{post}职务。"
        return f"经{commission}研究决定,聘任{new}为{hospital}{post},免去{old}的{hospital}{post}职务。"

    def tenures(self) -> list[dict[str, Any]]:
        """The tenures the stories support, read as the module docstring says."""
        by_key: dict[tuple[str, str, str], list[Observation]] = {}
        for o in self.observations:
            by_key.setdefault((o.person.id, o.post, o.org), []).append(o)
        found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        order = {"start": 0, "": 1, "end": 2}
        for key, seen in sorted(by_key.items()):
            seen.sort(key=lambda o: (o.day, order[o.change]))
            spans: list[dict[str, Any]] = []
            for o in seen:
                if o.change == "end":
                    if spans and not spans[-1]["end"]:
                        spans[-1]["end"] = o.day.isoformat()
                    elif not spans:  # never seen in office here: known only to have ended
                        spans.append({"start": "", "end": o.day.isoformat(), "last": ""})
                    continue
                if not spans or spans[-1]["end"]:
                    spans.append({"start": o.day.isoformat(), "end": "", "last": o.day.isoformat()})
                spans[-1]["last"] = o.day.isoformat()
            found[key] = spans
        holders: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = {}
        for (person, post, org), spans in found.items():
            holders.setdefault((post, org), []).extend((person, s) for s in spans)
        for (post, _), spans in holders.items():
            if post not in SINGLE_HOLDER:
                continue
            for person, span in spans:
                later = [s["start"] for p, s in spans if p != person and s["start"] > span["last"]]
                if not span["end"] and later:
                    span["end"] = min(later)
        names = {o.person.id: o.person.name for o in self.observations}
        return [
            {
                "person": names[person],
                "person_id": person,
                "post": post,
                "org": org,
                "start": s["start"],
                "end": s["end"],
            }
            for (person, post, org), spans in sorted(found.items())
            for s in spans
        ]


def write(out: Path, articles: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed)
    with (
        (out / "gold.jsonl").open("w", encoding="utf-8") as gold,
        (out / "identity.jsonl").open("w", encoding="utf-8") as identity,
    ):
        for i in range(articles):
            art = gen.article(i)
            (out / "corpus").mkdir(exist_ok=True)
            (out / "corpus" / art.name).write_text("\n".join(art.lines) + "\n", encoding="utf-8")
            for f in art.facts:
                gold.write(json.dumps(f, ensure_ascii=False) + "\n")
            for record in art.identity:
                identity.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (out / "tenures.jsonl").open("w", encoding="utf-8") as tenures:
        for tenure in gen.tenures():
            tenures.write(json.dumps(tenure, ensure_ascii=False) + "\n")


def change(corpus: Path, fraction: float, seed: int = 1) -> dict[str, int]:
    """Change ``fraction`` of a corpus's files as a day's news would, in equal parts: new
    stories (articles of another world), stories rewritten (a new text under the old name),
    stories corrected (a paragraph of another article added), files deleted, files renamed, and
    files reflowed (a blank line before the text: the same article, its lines moved). Returns
    how many of each; the same seed changes the same files the same way."""
    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix == ".txt")
    rng = random.Random(seed)
    picked = rng.sample(files, min(len(files), max(6, round(len(files) * fraction))))
    kinds = ("added", "rewritten", "corrected", "deleted", "renamed", "reflowed")
    done = dict.fromkeys(kinds, 0)
    fresh = Generator(seed + 7919)
    for i, path in enumerate(picked):
        kind = kinds[i % len(kinds)]
        text = path.read_text(encoding="utf-8")
        if kind == "added":
            art = fresh.article(i)
            (path.parent / f"new-{seed}-{i:06d}-{art.name}").write_text(
                "\n".join(art.lines) + "\n", encoding="utf-8"
            )
        elif kind == "rewritten":
            path.write_text("\n".join(fresh.article(i).lines) + "\n", encoding="utf-8")
        elif kind == "corrected":
            other = rng.choice(files)
            lines = other.read_text(encoding="utf-8").splitlines() if other.exists() else []
            paragraphs = [line for line in lines if len(line) > 40]
            if paragraphs:
                path.write_text(text + rng.choice(paragraphs) + "\n", encoding="utf-8")
        elif kind == "deleted":
            path.unlink()
        elif kind == "renamed":
            path.rename(path.with_name(f"renamed-{seed}-{path.name}"))
        else:
            path.write_text("\n" + text, encoding="utf-8")
        done[kind] += 1
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.out, args.articles, args.seed)


if __name__ == "__main__":
    main()
