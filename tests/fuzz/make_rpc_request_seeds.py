#!/usr/bin/env python3
"""Writes the seeds of rpc_request_fuzzer (tests/fuzz/corpus/rpc_request):
for every unary method of the API, a request whose resource name follows
the method's google.api.http path (organizations/6340101/...), once for
the SYSTEM key and once for the organization's OPERATOR key.

    tests/fuzz/make_rpc_request_seeds.py build/test/protos/prongsai_api.binpb
"""
import os
import re
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

HTTP_EXTENSION = 72295728  # google.api.http on MethodOptions
SERVICES = ("PlanService", "AccountService", "OversightService",
            "ComplaintService", "ItaService")


def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def extension_bytes(options, number):
    """The payload of length-delimited field `number` in serialized options."""
    data, at = options, 0
    while at < len(data):
        key, at = varint(data, at)
        field, wire = key >> 3, key & 7
        if wire == 0:
            _, at = varint(data, at)
        elif wire == 2:
            length, at = varint(data, at)
            if field == number:
                return data[at:at + length]
            at += length
        elif wire == 1:
            at += 8
        elif wire == 5:
            at += 4
        else:
            raise ValueError("unexpected wire type")
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "corpus", "rpc_request")
    files = descriptor_pb2.FileDescriptorSet()
    with open(sys.argv[1], "rb") as f:
        files.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in files.file:
        pool.Add(file)
    factory = message_factory.MessageFactory(pool)

    def message_class(full_name):
        return factory.GetPrototype(pool.FindMessageTypeByName(full_name))

    rule_class = message_class("google.api.HttpRule")
    os.makedirs(out, exist_ok=True)
    written = 0
    for file in files.file:
        for service in file.service:
            if service.name not in SERVICES:
                continue
            for method in service.method:
                if method.client_streaming or method.server_streaming:
                    continue
                request_class = message_class(method.input_type.lstrip("."))
                request = request_class()
                payload = extension_bytes(method.options.SerializeToString(),
                                          HTTP_EXTENSION)
                if payload is not None:
                    rule = rule_class.FromString(payload)
                    path = getattr(rule, rule.WhichOneof("pattern"))
                    for field, pattern in re.findall(r"\{([\w.]+)=([^}]*)\}",
                                                     path):
                        parts = pattern.split("/")
                        value = "/".join(
                            ("6340101" if i > 0 and parts[i - 1] ==
                             "organizations" else "aaaaaaaaaaaaaaaa")
                            if part == "*" else part
                            for i, part in enumerate(parts))
                        target = request
                        names = field.split(".")
                        for name in names[:-1]:
                            target = getattr(target, name)
                        setattr(target, names[-1], value)
                for caller in (0, 1):
                    seed = (f"{service.name}/{method.name}".encode() + b"\0" +
                            bytes([caller]) + request.SerializeToString())
                    name = f"{service.name}.{method.name}.{caller}"
                    with open(os.path.join(out, name), "wb") as f:
                        f.write(seed)
                    written += 1
    print(f"{written} seeds in {out}")


if __name__ == "__main__":
    main()
