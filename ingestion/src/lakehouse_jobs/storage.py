"""File-system operations through Hadoop's FileSystem API, so the same code works on local
folders and on S3 (Glue), with the Spark session's credentials and settings."""

from __future__ import annotations


class Storage:
    def __init__(self, spark) -> None:
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _path(self, path: str):
        return self._jvm.org.apache.hadoop.fs.Path(path)

    def _fs(self, path: str):
        return self._path(path).getFileSystem(self._conf)

    def exists(self, path: str) -> bool:
        return self._fs(path).exists(self._path(path))

    def size(self, path: str) -> int:
        return self._fs(path).getFileStatus(self._path(path)).getLen()

    def qualified(self, path: str) -> str:
        """The absolute URI Spark and the metastore record (file:/..., s3://...)."""
        return str(self._fs(path).makeQualified(self._path(path)).toUri())

    def list_dirs(self, path: str) -> list[str]:
        if not self.exists(path):
            return []
        statuses = self._fs(path).listStatus(self._path(path))
        return [str(s.getPath().toUri()) for s in statuses if s.isDirectory()]

    def list_entries(self, path: str) -> list[str]:
        if not self.exists(path):
            return []
        return [str(s.getPath().toUri()) for s in self._fs(path).listStatus(self._path(path))]

    def mkdirs(self, path: str) -> None:
        self._fs(path).mkdirs(self._path(path))

    def delete(self, path: str) -> None:
        self._fs(path).delete(self._path(path), True)

    def move(self, source: str, target: str) -> None:
        """Rename where the file system can (local, HDFS); copy then delete elsewhere (S3)."""
        fs = self._fs(source)
        target_path = self._path(target)
        fs.mkdirs(target_path.getParent())
        if fs.exists(target_path):
            fs.delete(target_path, True)
        source_path = self._path(source)
        if fs.getUri().getScheme() in ("file", "hdfs") and fs.rename(source_path, target_path):
            return
        util = self._jvm.org.apache.hadoop.fs.FileUtil
        target_fs = self._fs(target)
        if not util.copy(fs, source_path, target_fs, target_path, True, True, self._conf):
            raise OSError(f"could not move {source} to {target}")
