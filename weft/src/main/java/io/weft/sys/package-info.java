/**
 * Linux system calls through the Foreign Function &amp; Memory API (no JNI).
 * Each binding acts on the calling thread only and keeps no shared state
 * besides its immutable method handles.
 */
package io.weft.sys;
