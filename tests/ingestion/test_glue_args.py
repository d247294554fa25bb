"""The Glue argument bridge: `--KEY value` on Glue means what KEY=value means locally."""

from lakehouse_jobs.glue_args import config_key, parse_glue_args


def test_key_value_pairs_and_equals_form():
    argv = ["job.py", "--ENV", "dev", "--BATCH_ID=2024-01-02", "--MAX_REJECT_RATIO", "0.1"]
    assert parse_glue_args(argv) == {
        "ENV": "dev",
        "BATCH_ID": "2024-01-02",
        "MAX_REJECT_RATIO": "0.1",
    }


def test_glue_own_arguments_are_normalised_not_dropped():
    argv = [
        "--JOB_ID",
        "j_1",
        "--job-bookmark-option",
        "job-bookmark-disable",
        "--TempDir",
        "s3://b/t/",
    ]
    assert parse_glue_args(argv) == {
        "JOB_ID": "j_1",
        "JOB_BOOKMARK_OPTION": "job-bookmark-disable",
        "TEMPDIR": "s3://b/t/",
    }


def test_a_bare_flag_is_true_and_stray_tokens_are_ignored():
    assert parse_glue_args(["stray", "--VERBOSE", "--ENV", "int", "--"]) == {
        "VERBOSE": "true",
        "ENV": "int",
    }


def test_a_value_may_contain_equals_signs():
    assert parse_glue_args(["--FILTER=a=b"]) == {"FILTER": "a=b"}
    assert config_key("--job-run-id") == "JOB_RUN_ID"
