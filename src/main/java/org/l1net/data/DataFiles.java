package org.l1net.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The data files under a file, directory or glob of any Hadoop filesystem, as Spark's file sources see them. */
final class DataFiles {
    private DataFiles() {
    }

    /**
     * The files sorted by path; in a directory, those whose name starts with neither "_" nor "." (Spark's
     * _SUCCESS markers and .crc files are not data).
     */
    static List<Path> list(Configuration conf, String pathText) {
        try {
            Path path = new Path(pathText);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            if (matches == null || matches.length == 0) {
                throw new InputException(pathText + ": no such file or directory");
            }
            List<Path> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (match.isDirectory()) {
                    for (FileStatus child : fs.listStatus(match.getPath())) {
                        String name = child.getPath().getName();
                        if (child.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                            files.add(child.getPath());
                        }
                    }
                } else {
                    files.add(match.getPath());
                }
            }
            if (files.isEmpty()) {
                throw new InputException(pathText + ": no data files in the directory");
            }
            files.sort((a, b) -> a.toString().compareTo(b.toString()));
            return files;
        } catch (IOException e) {
            throw new InputException(pathText + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
