"""Load the 21 departments (adds missing ones only).

Frozen: the rows are a copy of departments/data/departments.csv and the loader a copy of
``departments.reference.load_departments`` as they were when this migration was written, so
that a later change of either never changes what this migration does. New or changed
reference data comes in a new migration (or through the loader's management use).
"""

import csv
import io

from django.db import migrations

FIELDS = ("name", "name_modern", "name_en", "main_matters")

DEPARTMENTS_CSV = """\
code,name,name_modern,name_en,main_matters
GAJ,公安局,公安局,Public Security Bureau (incl. traffic police),public order; traffic; floating population; drugs; illegal gatherings
SFJ,司法局,司法局,Justice Bureau,people's mediation; community correction; released prisoners
XFJ,信访局,信访局,Letters and Visits Bureau,petitions; stability risks; suggestions and consultations
MZJ,民政局,民政局,Civil Affairs Bureau,subsistence allowance; relief; elderly and disabled; funerals
RSJ,人力资源和社会保障局,人力资源和社会保障局,Human Resources and Social Security Bureau,labour disputes; wage arrears; social insurance
WJJ,卫生和计划生育局,卫生健康局,Health and Family Planning Bureau,epidemics; family planning; illegal medical practice; mental health cases
JYJ,教育局,教育局,Education Bureau,schools; dropouts; school buses
ZJJ,住房和城乡建设局,住房和城乡建设局,Housing and Urban-Rural Development Bureau,roads; drainage; street lights; dangerous houses; property management
CGJ,城市管理和行政执法局,城市管理和综合执法局,Urban Management and Law Enforcement Bureau,city appearance; street order; illegal building; sanitation
GTJ,国土资源局,自然资源局,Land and Resources Bureau,land violations; geological hazards; rural house building
GHJ,城乡规划局,自然资源和规划局,Urban and Rural Planning Bureau,building without approval or beyond permit
HBJ,环境保护局,生态环境局,Environmental Protection Bureau,air; water and noise pollution
AJJ,安全生产监督管理局,应急管理局,Work Safety Bureau,production safety; hazardous chemicals; fireworks
SJJ,市场监督管理局,市场监督管理局,Market Supervision Bureau (commerce; food and drugs),food; drugs; unlicensed trading; pricing; lifts
JTJ,交通运输局,交通运输局,Transport Bureau,highways; passenger transport; illegal taxis
SLJ,水利局,水利局,Water Resources Bureau,flood prevention; rivers; rural drinking water
LYJ,林业局,林业局,Forestry Bureau,forest fire; illegal logging; forest-land disputes
NYJ,农业局,农业农村局,Agriculture Bureau,animal disease; farm inputs; poverty targeting
XFDD,公安消防大队,消防救援大队,Fire Brigade,fires; blocked fire lanes; e-bike charging
GDGS,国网吉首市供电公司,国网吉首市供电公司,State Grid Jishou Power Supply Company,power cuts; lines; electricity covers
GSGS,吉首市供水公司,吉首市供水公司,Jishou Water Supply Company,water mains; supply; water covers
"""


def load(apps, schema_editor):
    Department = apps.get_model("departments", "Department")
    rows = [{key: value.strip() for key, value in row.items()} for row in csv.DictReader(io.StringIO(DEPARTMENTS_CSV))]
    existing = set(Department.objects.values_list("code", flat=True))
    Department.objects.bulk_create(
        Department(code=row["code"], **{field: row[field] for field in FIELDS})
        for row in rows
        if row["code"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("departments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
