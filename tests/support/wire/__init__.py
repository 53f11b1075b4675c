"""What the wire layer's tests share: hypothesis strategies from botocore's shapes, a harness of
botocore's own serializers and parsers, and two small models of traits the four services leave
unused."""
