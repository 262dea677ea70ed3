from django.core.management.base import BaseCommand

from insertion import inventory


class Command(BaseCommand):
    help = (
        "Print the processing register: one tab-separated line per personal-data field "
        "(app.Model, field, category, roles that may read it)."
    )

    def handle(self, *args, **options):
        self.stdout.write("model\tfield\tcategory\treaders")
        for model_label, field, category, roles in inventory.rows():
            self.stdout.write(f"{model_label}\t{field}\t{category.value}\t{','.join(role.value for role in roles)}")
