"""Questions and answers (hỏi – đáp): citizens ask about a procedure, agencies answer, and the
answers become a public FAQ; later the assistant's knowledge base."""

from django.db import models  # noqa: F401
