"""Made-up names and phone numbers: plausible for Xiangxi, unique where they must be."""

from __future__ import annotations

import random

from grids.choices import CameraKind, CommunityKind

SURNAMES = (
    "龙石吴杨张向彭田麻施滕梁刘李王陈黄周唐符欧宋邓胡谭舒覃瞿姚贾罗谢曾秦鲁丁廖熊肖蒋赵袁侯雷"
    "龙石吴杨张向彭田麻龙石吴杨张向彭田"
)
GIVEN = "少富秀春桂兰红明华建国平军文清玉英金海林云志德永成光祥生芳丽梅珍凤翠先昌松柏贵保顺发兴才"
PLACE_FIRST = "大小新老上下中东西南北高长黄白青红龙马牛鸡岩石竹桃杨枫茶溪河塘坪坡湾冲寨岭坳"
PLACE_SECOND = "田坪溪冲寨坡湾岩塘桥坝垅坳岭洞界山湖园场林"
KIND_SHORT: dict[str, str] = {
    CameraKind.ROAD: "道路",
    CameraKind.SECURITY: "治安",
    CameraKind.RIVER: "河道",
    CameraKind.PUBLIC_PLACE: "公共场所",
    CameraKind.FOREST: "森林防火",
}  # noqa: E501
PHONE_PREFIXES = (
    "134 135 136 137 138 139 150 151 152 157 158 159 182 183 184 187 188 147 178 "
    "130 131 132 155 156 185 186 176 133 153 180 181 189 177 199"
).split()


def community_names(rng: random.Random, count: int, kinds: list[str], taken: set[str], fixed: dict[int, str]):
    names = []
    for index in range(count):
        if index in fixed:
            names.append(fixed[index])
            taken.add(fixed[index])
            continue
        suffix = "社区" if kinds[index] == CommunityKind.COMMUNITY else "村"
        while True:
            name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND) + suffix
            if name not in taken:
                taken.add(name)
                names.append(name)
                break
    return names


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(SURNAMES) + given


def phone_number(rng: random.Random, taken: set[str]) -> str:
    while True:
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if phone not in taken:
            taken.add(phone)
            return phone
