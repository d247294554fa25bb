"""Glue jobs, enough to start a job script the way Glue starts it: CreateJob with a local
ScriptLocation, StartJobRun with `--KEY value` arguments, GetJobRun(s) for the outcome.
Runs execute one at a time in the server's process and Spark session."""

from __future__ import annotations

import queue
import runpy
import sys
import threading
import time
import traceback
import uuid
from pathlib import Path

from lakehouse.glue_local import errors
from lakehouse.glue_local.awsglue_shim import namespace_builtins


def _argv(arguments: dict[str, str]) -> list[str]:
    argv: list[str] = []
    for key, value in arguments.items():
        argv += [key, str(value)]
    return argv


class Jobs:
    def __init__(self) -> None:
        self.jobs: dict[str, dict] = {}
        self.runs: dict[str, list[dict]] = {}
        self.queue: queue.Queue[tuple[dict, dict] | None] = queue.Queue()
        self.worker = threading.Thread(target=self._work, name="job-runs", daemon=True)
        self.worker.start()

    def _job(self, name: str | None) -> dict:
        if name not in self.jobs:
            raise errors.not_found(f"Job {name}")
        return self.jobs[name]

    def CreateJob(self, request: dict) -> dict:
        name = request.get("Name")
        script = (request.get("Command") or {}).get("ScriptLocation", "")
        if not name or not request.get("Role") or not script:
            raise errors.invalid_input("CreateJob needs Name, Role and Command.ScriptLocation")
        if "://" in script and not script.startswith("file://"):
            raise errors.invalid_input(f"glue-local runs local scripts only, not {script}")
        if name in self.jobs:
            raise errors.AwsError("IdempotentParameterMismatchException", f"Job {name} exists")
        self.jobs[name] = dict(request)
        self.runs[name] = []
        return {"Name": name}

    def GetJob(self, request: dict) -> dict:
        return {"Job": self._job(request.get("JobName"))}

    def DeleteJob(self, request: dict) -> dict:
        name = request.get("JobName")
        self.jobs.pop(name, None)  # Glue answers success for a missing job too
        return {"JobName": name}

    def StartJobRun(self, request: dict) -> dict:
        job = self._job(request.get("JobName"))
        run = {
            "Id": f"jr_{uuid.uuid4().hex}",
            "Attempt": 0,
            "JobName": job["Name"],
            "StartedOn": time.time(),
            "JobRunState": "STARTING",
            "Arguments": {
                **(job.get("DefaultArguments") or {}),
                **(request.get("Arguments") or {}),
            },
        }
        self.runs[job["Name"]].append(run)
        self.queue.put((job, run))
        return {"JobRunId": run["Id"]}

    def GetJobRun(self, request: dict) -> dict:
        for run in self.runs.get(self._job(request.get("JobName"))["Name"], []):
            if run["Id"] == request.get("RunId"):
                return {"JobRun": dict(run)}
        raise errors.not_found(f"Job run {request.get('RunId')}")

    def GetJobRuns(self, request: dict) -> dict:
        name = self._job(request.get("JobName"))["Name"]
        return {"JobRuns": [dict(r) for r in reversed(self.runs[name])]}

    def stop(self) -> None:
        self.queue.put(None)

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            job, run = item
            run["JobRunState"] = "RUNNING"
            error = self._execute(job, run)
            run["CompletedOn"] = time.time()
            run["ExecutionTime"] = int(run["CompletedOn"] - run["StartedOn"])
            run["JobRunState"] = "FAILED" if error else "SUCCEEDED"
            if error:
                run["ErrorMessage"] = error

    @staticmethod
    def _execute(job: dict, run: dict) -> str | None:
        script = Path(job["Command"]["ScriptLocation"].removeprefix("file://"))
        glue_arguments = {
            "--JOB_ID": job["Name"],
            "--JOB_RUN_ID": run["Id"],
            "--JOB_NAME": job["Name"],
        }
        saved = sys.argv
        sys.argv = [str(script), *_argv({**run["Arguments"], **glue_arguments})]
        try:
            runpy.run_path(
                str(script),
                init_globals={"__builtins__": namespace_builtins()},
                run_name="__main__",
            )
        except SystemExit as done:
            if done.code not in (0, None):
                return f"{script.name} exited with {done.code}"
        except BaseException as error:
            return "".join(traceback.format_exception_only(error)).strip()
        finally:
            sys.argv = saved
        return None
