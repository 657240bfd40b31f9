"""Ingredient names: one canonical lower-case English form, salts stripped, combinations split."""

from __future__ import annotations

import re

# Salt and hydrate words that do not change the active moiety (amlodipine besylate = amlodipine).
SALTS = frozenset(
    [
        "hydrochloride",
        "hcl",
        "dihydrochloride",
        "besylate",
        "besilate",
        "maleate",
        "mesylate",
        "mesilate",
        "tartrate",
        "succinate",
        "fumarate",
        "hemifumarate",
        "citrate",
        "sulfate",
        "sulphate",
        "bromide",
        "hydrobromide",
        "dihydrate",
        "monohydrate",
        "hydrate",
        "trihydrate",
        "sesquihydrate",
        "hyclate",
        "camsylate",
        "orotate",
        "acetate",
        "disodium",
        "sodium",
        "potassium",
        "calcium",
        "magnesium",
        "medoxomil",
        "cilexetil",
        "axetil",
        "propionate",
        "furoate",
        "etexilate",
        "dipropionate",
        "tromethamine",
        "arginine",
        "lysine",
        "nicotinate",
        "bisulfate",
        "hydrogen",
        "oxalate",
        "adipate",
        "phosphate",
        "tosylate",
        "napsylate",
        "xinafoate",
        "chloride",
        "carbonate",
        "gluconate",
        "lactate",
        "hemihydrate",
        "anhydrous",
        "dimesylate",
        "valerate",
        "pivoxil",
        "disoproxil",
        "alafenamide",
        "butylbromide",
        "mofetil",
    ]
)
# Other names for the same ingredient (British/INN/US spellings, common abbreviations).
SYNONYMS = {
    "paracetamol": "acetaminophen",
    "acetylsalicylic acid": "aspirin",
    "asa": "aspirin",
    "glyburide": "glibenclamide",
    "albuterol": "salbutamol",
    "hyoscine": "scopolamine",
    "hyoscine butylbromide": "scopolamine",
    "frusemide": "furosemide",
    "valproate": "valproic acid",
    "sodium valproate": "valproic acid",
    "divalproex": "valproic acid",
    "clavulanate": "clavulanic acid",
    "co-amoxiclav": "amoxicillin + clavulanic acid",
    "co-trimoxazole": "sulfamethoxazole + trimethoprim",
    "cotrimoxazole": "sulfamethoxazole + trimethoprim",
    "vitamin d3": "cholecalciferol",
    "ciclosporin": "cyclosporine",
    "cyclosporin": "cyclosporine",
    "rifampin": "rifampicin",
    "aciclovir": "acyclovir",
    "valaciclovir": "valacyclovir",
    "chlorphenamine": "chlorpheniramine",
    "dexchlorphenamine": "dexchlorpheniramine",
    "meperidine": "pethidine",
    "lignocaine": "lidocaine",
    "adrenaline": "epinephrine",
    "noradrenaline": "norepinephrine",
    "thyroxine": "levothyroxine",
    "torasemide": "torsemide",
    "bendrofluazide": "bendroflumethiazide",
    "methotrimeprazine": "levomepromazine",
    "amoxycillin": "amoxicillin",
    "colecalciferol": "cholecalciferol",
    "dosulepin": "dothiepin",  # the 노인주의 list says Dothiepin, the 효능군중복 list Dosulepin
    "isosorbide-5-mononitrate": "isosorbide mononitrate",
    "ursodiol": "ursodeoxycholic acid",
    "omega-3": "omega-3-acid ethyl esters",
    "metformin xr": "metformin",
    "esomeprazole mg": "esomeprazole",
}
_KO_SALTS = (
    "염산염",
    "베실산염",
    "말레산염",
    "메실산염",
    "타르타르산염",
    "나트륨",
    "칼륨",
    "칼슘",
    "수화물",
)


def norm(name: str) -> str:
    """Lower case, single spaces, no bracketed remarks, no '함유제제' suffix."""
    n = re.sub(r"\(.*?\)|（.*?）", " ", name)
    n = n.replace("함유제제", " ").replace("_", " ")
    return " ".join(n.lower().split()).strip(" ,.")


def strip_salt(name: str) -> str:
    words = [w for w in name.split() if w not in SALTS]
    return " ".join(words) if words else name


_KO_FORMS = (
    "서방정",
    "장용정",
    "구강붕해정",
    "필름코팅정",
    "연질캡슐",
    "서방캡슐",
    "캡슐",
    "정",
    "시럽",
    "현탁액",
    "액",
    "산",
    "과립",
    "주사",
    "주",
    "패취",
    "패치",
    "크림",
    "겔",
    "연고",
    "점안액",
    "흡입제",
)


def strip_salt_ko(name: str) -> str:
    """'암로디핀베실산염정 5밀리그램' -> '암로디핀': strength, dosage form, then salt removed."""
    name = re.split(r"[\s(]*\d", name.strip(), maxsplit=1)[0].strip()
    for suffix in _KO_FORMS:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:  # 칼슘수화물: both words go
        stripped = False
        for suffix in _KO_SALTS:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                name, stripped = name[: -len(suffix)], True
                break
    return name


def split_combination(name: str) -> list[str]:
    """'Amlodipine + Valsartan' or 'amlodipine/valsartan' -> ['amlodipine', 'valsartan'].

    Every part goes through SYNONYMS, so the DUR lists and the input meet on one spelling.
    """
    parts = re.split(r"\s*(?:\+|/|,| and )\s*", norm(name))
    out = []
    for p in parts:
        target = SYNONYMS.get(p, p) if p else ""
        out.extend(split_combination(target) if "+" in target else [target] if target else [])
    return out
