/**
 * The file benchmark ({@code weft-bench/files.sh}): random O_DIRECT reads by
 * weft's {@link io.weft.fs.DmaFile} and by the JDK's {@code FileChannel},
 * measured in the same run as fio on the same file.
 */
package io.weft.bench.fs;
