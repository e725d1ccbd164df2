"""What the demo cases say: people's names and phones, places, notes, reasons and photos."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林向彭田龙石吴滕麻"
GIVEN = "少富秀春桂兰红明华建国平军文清玉英金海林云志德永成光祥生芳丽梅珍凤翠先昌松柏贵保顺发兴才"
ROADS = ("人民路", "世纪大道", "乾州大道", "团结路", "峒河路", "建新路", "光明路", "武陵路", "湘西大道", "民族路")
DETAILS = ("影响市容", "影响群众出行", "存在安全隐患", "群众反映强烈", "已持续多日", "请尽快处理")
RESOLVE_NOTES = (
    "已安排人员到现场处置完毕，现场已恢复正常。",
    "经现场核实，问题已整改到位。",
    "已联系责任单位处理，处理结果已拍照留存。",
    "已清理完毕，并对周边进行了检查。",
)
RETURN_REASONS = (
    "经核实不属于本部门职责，请重新派遣。",
    "该问题属于其他部门管辖范围，建议转派。",
    "现场情况与上报不符，需中心重新核实后派遣。",
)
REJECT_REASONS = ("不属于网格化受理范围。", "上报信息不实，经核实无此问题。", "重复上报，已在处理中。")
REOPEN_REASONS = ("现场核查未整改到位，请返工。", "群众反映问题依旧存在，请重新处置。")
URGE_NOTES = ("已超期，请加快办理并及时反馈。", "领导督办：请尽快处置。")
PROGRESS_NOTES = ("已到现场查看，正在协调处理。", "已联系相关责任人，正在整改。")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def phone_number(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "152", "158", "187", "189")) + f"{rng.randrange(10**8):08d}"


def make_photo(rng: random.Random, after: bool) -> bytes:
    """A small generated street photo (the demo has no real ones)."""
    image = Image.new("RGB", (480, 360), (rng.randrange(90, 160), rng.randrange(110, 170), rng.randrange(120, 190)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 360), fill=(120, 120, 115))  # the street
    for _ in range(rng.randint(2, 5)):  # houses
        x = rng.randrange(0, 420)
        draw.rectangle((x, rng.randrange(60, 150), x + rng.randrange(50, 120), 220), fill=(200, 190, 170))
    if not after:  # the problem: a heap of something
        x, y = rng.randrange(60, 380), rng.randrange(240, 300)
        draw.ellipse((x, y, x + rng.randrange(50, 110), y + rng.randrange(25, 50)), fill=(90, 70, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()
