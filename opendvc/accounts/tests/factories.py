import factory

from opendvc.accounts.models import StaffRole, User


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Công dân {n}")
    email = factory.Sequence(lambda n: f"citizen{n}@example.vn")
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    kind = User.Kind.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "Mat-khau-an-toan-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficialFactory(CitizenFactory):
    kind = User.Kind.OFFICIAL
    email = factory.Sequence(lambda n: f"canbo{n}@example.vn")
    phone = None

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for agency, role in extracted or []:
            StaffRole.objects.create(user=obj, agency=agency, role=role)


def bearer(user, *, now=None) -> dict:
    """The Authorization header of a new personal API token of `user`."""
    from django.utils import timezone

    from opendvc.accounts.tokens import create_token

    _token, raw = create_token(user=user, name="thử nghiệm", now=now or timezone.now())
    return {"Authorization": f"Bearer {raw}"}
