"""HTTP plumbing of the API: request context, parsing, responses, files, the OpenAPI document, its pages."""
