"""Development checks: every linter (`make lint`) and the project's conventions."""
