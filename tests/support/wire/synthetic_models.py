"""Two small service models that use every wire trait the four real models do not.

The real models bind members only to URI labels, query strings and JSON bodies. These
bind the rest of what botocore's json and rest-json serializers and parsers handle, so the
wire layer is proven on them too: greedy labels and labels of every scalar type, a static
query in the URI, query lists and maps, headers of every scalar type (HTTP-date, ISO 8601
and epoch timestamps, lists, ``jsonvalue``), prefixed headers, a status code member, blob,
string and structure payloads, ``jsonName`` (``locationName`` on body members), member-level
``timestampFormat``, blobs, documents, unions, a recursive structure, an
``idempotencyToken``, modelled errors with header members; and a json 1.0 service.
"""

from __future__ import annotations

from typing import Any

from botocore.model import ServiceModel


def _member(shape: str, **traits: Any) -> dict[str, Any]:
    return {"shape": shape, **traits}


SCALARS: dict[str, Any] = {
    "String": {"type": "string"},
    "ThingId": {"type": "string", "pattern": "t-[a-z0-9]+", "min": 3, "max": 20},
    "Key": {"type": "string", "min": 1, "max": 40},
    "Integer": {"type": "integer"},
    "Long": {"type": "long"},
    "Double": {"type": "double"},
    "Boolean": {"type": "boolean"},
    "Timestamp": {"type": "timestamp"},
    "IsoTimestamp": {"type": "timestamp", "timestampFormat": "iso8601"},
    "Blob": {"type": "blob"},
    "JsonString": {"type": "string"},
    "Document": {"type": "structure", "members": {}, "document": True},
    "StringList": {"type": "list", "member": {"shape": "String"}},
    "IntegerList": {"type": "list", "member": {"shape": "Integer"}},
    "DoubleList": {"type": "list", "member": {"shape": "Double"}},
    "BooleanList": {"type": "list", "member": {"shape": "Boolean"}},
    "BlobList": {"type": "list", "member": {"shape": "Blob"}},
    "TimestampList": {"type": "list", "member": {"shape": "Timestamp"}},
    "IsoTimestampList": {"type": "list", "member": {"shape": "IsoTimestamp"}},
    "StringMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "String"}},
    "ListMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "StringList"}},
    "TimestampMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Timestamp"}},
    "Choice": {
        "type": "structure",
        "union": True,
        "members": {
            "Text": _member("String"),
            "Number": _member("Integer"),
            "When": _member("Timestamp"),
            "Raw": _member("Blob"),
            "Doc": _member("Document"),
            "Empty": _member("Empty"),
        },
    },
    "Empty": {"type": "structure", "members": {}},
    "Nested": {
        "type": "structure",
        "members": {
            "Label": _member("String", locationName="label_name"),
            "Blobs": _member("BlobList"),
            "Times": _member("TimestampList"),
            "IsoTimes": _member("IsoTimestampList"),
            "Stamps": _member("TimestampMap"),
            "Choice": _member("Choice"),
            "Doc": _member("Document"),
            "Child": _member("Nested"),
            "Lists": _member("ListMap"),
            "Flags": _member("BooleanList"),
            "Ratio": _member("Double"),
            "Big": _member("Long"),
        },
    },
}

BODY_MEMBERS: dict[str, Any] = {
    "Token": _member("String", idempotencyToken=True, locationName="clientToken"),
    "Data": _member("Blob"),
    "Created": _member("Timestamp"),
    "CreatedIso": _member("Timestamp", timestampFormat="iso8601"),
    "CreatedHttp": _member("Timestamp", timestampFormat="rfc822"),
    "Nested": _member("Nested", locationName="nested_thing"),
    "Floats": _member("DoubleList"),
}

REST: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2024-01-01",
        "endpointPrefix": "wire-traits",
        "jsonVersion": "1.1",
        "protocol": "rest-json",
        "protocols": ["rest-json"],
        "serviceFullName": "Wire Traits",
        "serviceId": "Wire Traits",
        "signatureVersion": "v4",
        "signingName": "wiretraits",
        "uid": "wiretraits-2024-01-01",
    },
    "operations": {
        "PutThing": {
            "name": "PutThing",
            "http": {
                "method": "PUT",
                "requestUri": "/things/{ThingId}/parts/{Key+}?mode=full",
                "responseCode": 201,
            },
            "input": {"shape": "PutThingRequest"},
            "output": {"shape": "PutThingResponse"},
            "errors": [{"shape": "ThingError"}],
        },
        "GetThing": {
            "name": "GetThing",
            "http": {"method": "GET", "requestUri": "/things/{ThingId}"},
            "input": {"shape": "GetThingRequest"},
            "output": {"shape": "GetThingResponse"},
        },
        "GetSpecialThing": {
            "name": "GetSpecialThing",
            "http": {"method": "GET", "requestUri": "/things/special"},
            "output": {"shape": "GetThingResponse"},
        },
        "GetByLabels": {
            "name": "GetByLabels",
            "http": {"method": "GET", "requestUri": "/labels/{Number}/{When}/{Flag}/{Raw}/{Ratio}"},
            "input": {"shape": "GetByLabelsRequest"},
            "output": {"shape": "BlobPayload"},
        },
        "UploadBlob": {
            "name": "UploadBlob",
            "http": {"method": "POST", "requestUri": "/blobs/{Id}"},
            "input": {"shape": "UploadBlobRequest"},
            "output": {"shape": "StructurePayload"},
        },
        "PutText": {
            "name": "PutText",
            "http": {"method": "POST", "requestUri": "/text"},
            "input": {"shape": "TextPayload"},
            "output": {"shape": "TextPayload"},
        },
        "PutStructure": {
            "name": "PutStructure",
            "http": {"method": "PATCH", "requestUri": "/structure"},
            "input": {"shape": "StructurePayload"},
            "output": {"shape": "HeadersOnly"},
        },
        "Ping": {"name": "Ping", "http": {"method": "GET", "requestUri": "/ping"}},
    },
    "shapes": {
        **SCALARS,
        "PutThingRequest": {
            "type": "structure",
            "required": ["ThingId", "Key"],
            "members": {
                "ThingId": _member("ThingId", location="uri", locationName="ThingId"),
                "Key": _member("Key", location="uri", locationName="Key"),
                "Count": _member("Integer", location="querystring", locationName="count"),
                "Ratio": _member("Double", location="querystring", locationName="ratio"),
                "Flag": _member("Boolean", location="querystring", locationName="flag"),
                "Since": _member("Timestamp", location="querystring", locationName="since"),
                "Epoch": _member(
                    "Timestamp",
                    location="querystring",
                    locationName="epoch",
                    timestampFormat="unixTimestamp",
                ),
                "Names": _member("StringList", location="querystring", locationName="name"),
                "Numbers": _member("IntegerList", location="querystring", locationName="n"),
                "Extra": _member("ListMap", location="querystring"),
                "HFlag": _member("Boolean", location="header", locationName="X-Flag"),
                "HCount": _member("Long", location="header", locationName="X-Count"),
                "HWhen": _member("Timestamp", location="header", locationName="X-When"),
                "HIso": _member(
                    "Timestamp", location="header", locationName="X-Iso", timestampFormat="iso8601"
                ),
                "HEpoch": _member(
                    "Timestamp",
                    location="header",
                    locationName="X-Epoch",
                    timestampFormat="unixTimestamp",
                ),
                "HNames": _member("StringList", location="header", locationName="X-Names"),
                "HNumbers": _member("IntegerList", location="header", locationName="X-Numbers"),
                "HDates": _member("TimestampList", location="header", locationName="X-Dates"),
                "HJson": _member(
                    "JsonString", location="header", locationName="X-Json", jsonvalue=True
                ),
                "HRatio": _member("Double", location="header", locationName="X-Ratio"),
                "Meta": _member("StringMap", location="headers", locationName="X-Meta-"),
                **BODY_MEMBERS,
            },
        },
        "PutThingResponse": {
            "type": "structure",
            "members": {
                "Status": _member("Integer", location="statusCode"),
                "ETag": _member("String", location="header", locationName="ETag"),
                "HWhen": _member("Timestamp", location="header", locationName="X-When"),
                "HFlag": _member("Boolean", location="header", locationName="X-Flag"),
                "HNames": _member("StringList", location="header", locationName="X-Names"),
                "HIsoDates": _member(
                    "IsoTimestampList", location="header", locationName="X-Iso-Dates"
                ),
                "HJson": _member(
                    "JsonString", location="header", locationName="X-Json", jsonvalue=True
                ),
                "HRatio": _member("Double", location="header", locationName="X-Ratio"),
                "Meta": _member("StringMap", location="headers", locationName="X-Meta-"),
                **BODY_MEMBERS,
            },
        },
        "GetThingRequest": {
            "type": "structure",
            "required": ["ThingId"],
            "members": {"ThingId": _member("ThingId", location="uri", locationName="ThingId")},
        },
        "GetThingResponse": {
            "type": "structure",
            "members": {"Nested": _member("Nested"), "Data": _member("Blob")},
        },
        "GetByLabelsRequest": {
            "type": "structure",
            "required": ["Number", "When", "Flag", "Raw", "Ratio"],
            "members": {
                "Number": _member("Long", location="uri", locationName="Number"),
                "When": _member("Timestamp", location="uri", locationName="When"),
                "Flag": _member("Boolean", location="uri", locationName="Flag"),
                "Raw": _member("Blob", location="uri", locationName="Raw"),
                "Ratio": _member("Double", location="uri", locationName="Ratio"),
            },
        },
        "BlobPayload": {
            "type": "structure",
            "members": {
                "Data": _member("Blob"),
                "Kind": _member("String", location="header", locationName="X-Kind"),
            },
            "payload": "Data",
        },
        "UploadBlobRequest": {
            "type": "structure",
            "required": ["Id"],
            "members": {
                "Id": _member("ThingId", location="uri", locationName="Id"),
                "Kind": _member("String", location="header", locationName="X-Kind"),
                "Body": _member("Blob"),
            },
            "payload": "Body",
        },
        "TextPayload": {
            "type": "structure",
            "members": {
                "Text": _member("String"),
                "Kind": _member("String", location="header", locationName="X-Kind"),
            },
            "payload": "Text",
        },
        "StructurePayload": {
            "type": "structure",
            "members": {
                "Result": _member("Nested"),
                "Kind": _member("String", location="header", locationName="X-Kind"),
            },
            "payload": "Result",
        },
        "HeadersOnly": {
            "type": "structure",
            "members": {"Kind": _member("String", location="header", locationName="X-Kind")},
        },
        "ThingError": {
            "type": "structure",
            "members": {
                "message": _member("String"),
                "Reason": _member("String", location="header", locationName="X-Reason"),
                "Count": _member("Integer"),
                "When": _member("Timestamp"),
            },
            "error": {"httpStatusCode": 409, "senderFault": True},
            "exception": True,
        },
    },
}

JSON: dict[str, Any] = {
    "version": "2.0",
    "metadata": {
        "apiVersion": "2024-01-01",
        "endpointPrefix": "wire-json",
        "jsonVersion": "1.0",
        "protocol": "json",
        "protocols": ["json"],
        "serviceFullName": "Wire Json",
        "serviceId": "Wire Json",
        "signatureVersion": "v4",
        "signingName": "wirejson",
        "targetPrefix": "WireJson_20240101",
        "uid": "wirejson-2024-01-01",
    },
    "operations": {
        "PutThing": {
            "name": "PutThing",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "Body"},
            "output": {"shape": "Body"},
            "errors": [{"shape": "JsonError"}],
        },
        "Nothing": {"name": "Nothing", "http": {"method": "POST", "requestUri": "/"}},
    },
    "shapes": {
        **SCALARS,
        "Body": {
            "type": "structure",
            "members": {
                **BODY_MEMBERS,
                "Stamps": _member("TimestampMap"),
                "Choice": _member("Choice"),
            },
        },
        "JsonError": {
            "type": "structure",
            "members": {"Message": _member("String"), "Count": _member("Integer")},
            "exception": True,
        },
    },
}


def models() -> list[ServiceModel]:
    """The two models, as botocore's ``ServiceModel``."""
    return [
        ServiceModel(REST, service_name="wiretraits"),
        ServiceModel(JSON, service_name="wirejson"),
    ]
