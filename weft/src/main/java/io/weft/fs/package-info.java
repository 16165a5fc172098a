/**
 * Files of an executor: {@link io.weft.fs.File} (buffered) and
 * {@link io.weft.fs.DmaFile} (O_DIRECT), read and written at explicit
 * offsets. On io_uring every operation is submitted to the ring; on epoll
 * and nio it runs on a pool of blocking threads through a bounce buffer, so
 * an executor's thread never waits on a disk and a cancelled operation never
 * writes into the task's memory afterwards. A file belongs to the executor
 * whose task opened it.
 */
package io.weft.fs;
