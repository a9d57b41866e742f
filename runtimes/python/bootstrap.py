# Nimbus's Python runtime interface client: runs inside a function's execution environment (a child
# process), imports the handler once (the cold start), then loops on the Lambda Runtime API:
# GET invocation/next -> run the handler -> POST invocation/{id}/response or /error.
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
END_MARKER = "\u0000nimbus-end"
HOST, PORT = API.split(":")
connection = http.client.HTTPConnection(HOST, int(PORT))


def call(method, path, body=None, headers=None):
    connection.request(method, BASE + path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def post(path, payload, error_type=None):
    body = json.dumps(payload).encode("utf-8")
    headers = {"content-type": "application/json"}
    if error_type:
        headers["lambda-runtime-function-error-type"] = error_type
    call("POST", path, body, headers)


def error_payload(error, error_type=None):
    return {
        "errorMessage": str(error),
        "errorType": error_type or type(error).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
    }


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        identity = headers.get("lambda-runtime-cognito-identity")
        client_context = headers.get("lambda-runtime-client-context")
        self.identity = json.loads(identity) if identity else None
        self.client_context = json.loads(client_context) if client_context else None
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class UserCodeError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_name, _, function_name = spec.rpartition(".")
    if not module_name or not function_name:
        raise UserCodeError("Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)")
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", os.getcwd()))
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except SyntaxError as error:
        raise UserCodeError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}") from error
    except ImportError as error:
        raise UserCodeError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}") from error
    handler = getattr(module, function_name, None)
    if handler is None:
        raise UserCodeError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return handler


def main():
    try:
        handler = load_handler()
    except UserCodeError as error:
        print(f"[ERROR] {error.error_type}: {error}", file=sys.stderr)
        post("/init/error", {"errorMessage": str(error), "errorType": error.error_type, "requestId": "", "stackTrace": []}, error.error_type)
        sys.exit(1)

    while True:
        _, headers, body = call("GET", "/invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id")
        # Lambda's runtimes publish each invocation's trace header here, where the X-Ray SDK looks for it.
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
            result = handler(event, LambdaContext(headers))
            outcome = (f"/invocation/{request_id}/response", result, None)
        except Exception as error:  # noqa: BLE001 - every handler failure goes back to the caller
            payload = error_payload(error)
            payload["requestId"] = request_id
            print(f"[ERROR] {payload['errorType']}: {payload['errorMessage']}", file=sys.stderr)
            outcome = (f"/invocation/{request_id}/error", payload, payload["errorType"])
        sys.stdout.write(f"{END_MARKER} {request_id}\n")
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            post(*outcome)
        except TypeError as error:
            payload = {"errorMessage": f"Unable to marshal response: {error}", "errorType": "Runtime.MarshalError", "requestId": request_id, "stackTrace": []}
            post(f"/invocation/{request_id}/error", payload, "Runtime.MarshalError")


if __name__ == "__main__":
    main()
