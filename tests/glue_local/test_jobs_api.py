"""Glue job runs: a local script started the way Glue starts it, `--KEY value` arguments."""

import time

import pytest

pytestmark = pytest.mark.integration

ROLE = "arn:aws:iam::123456789012:role/glue-local"


def finished(glue, name, run_id):
    while (run := glue.get_job_run(JobName=name, RunId=run_id)["JobRun"])["JobRunState"] in (
        "STARTING",
        "RUNNING",
    ):
        time.sleep(0.1)
    return run


def test_a_job_run_gets_its_arguments_and_glues_own(glue, tmp_path):
    script = tmp_path / "job.py"
    out = tmp_path / "out.txt"
    script.write_text(
        "import sys\nfrom awsglue.utils import getResolvedOptions\n"
        "args = getResolvedOptions(sys.argv, ['BATCH_ID', 'JOB_NAME', 'OUT'])\n"
        "open(args['OUT'], 'w').write(args['BATCH_ID'] + ' ' + args['JOB_NAME'])\n"
    )
    glue.create_job(
        Name="test-args",
        Role=ROLE,
        Command={"Name": "glueetl", "ScriptLocation": str(script)},
        DefaultArguments={"--BATCH_ID": "default"},
    )
    run_id = glue.start_job_run(
        JobName="test-args", Arguments={"--BATCH_ID": "b42", "--OUT": str(out)}
    )["JobRunId"]
    run = finished(glue, "test-args", run_id)
    assert run["JobRunState"] == "SUCCEEDED", run.get("ErrorMessage")
    assert out.read_text() == "b42 test-args"
    assert [r["Id"] for r in glue.get_job_runs(JobName="test-args")["JobRuns"]] == [run_id]


def test_a_failing_job_run_is_failed_with_its_error(glue, tmp_path):
    script = tmp_path / "fails.py"
    script.write_text("import sys\nsys.exit('landing file missing')\n")
    glue.create_job(
        Name="test-fails", Role=ROLE, Command={"Name": "glueetl", "ScriptLocation": str(script)}
    )
    run = finished(glue, "test-fails", glue.start_job_run(JobName="test-fails")["JobRunId"])
    assert (run["JobRunState"], run["ErrorMessage"]) == (
        "FAILED",
        "fails.py exited with landing file missing",
    )


def test_scripts_on_s3_are_refused(glue):
    with pytest.raises(glue.exceptions.InvalidInputException, match="local scripts only"):
        glue.create_job(
            Name="test-s3",
            Role=ROLE,
            Command={"Name": "glueetl", "ScriptLocation": "s3://b/job.py"},
        )
