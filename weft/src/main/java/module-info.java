/**
 * weft: an asynchronous task runtime. Only {@code io.weft} is API; the other
 * packages are the machinery behind it.
 */
module io.weft {
    exports io.weft;
    exports io.weft.sync;
}
