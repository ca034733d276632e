package dev.weft.cni.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.cni.internal.spec.CniErrorCode;
import dev.weft.cni.internal.spec.CniException;
import dev.weft.cni.internal.spec.Result;
import dev.weft.cni.internal.spec.ResultCodec;

/** Reads results other plugins wrote, turning decode failures into delegate failures. */
final class ResultReader {
    private ResultReader() {}

    static Result read(JsonNode node, String what) throws CniException {
        try {
            return ResultCodec.parse(node, what);
        } catch (CniException e) {
            throw new CniException(CniErrorCode.DELEGATE_FAILED, e.getMessage());
        }
    }
}
