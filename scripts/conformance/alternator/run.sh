#!/bin/sh
# Runs files of ScyllaDB's Alternator suite (test/alternator in scylladb/scylladb: pytest and boto3, checked
# against real DynamoDB) against a Nimbus already listening, AWS-style: Scylla-only tests are skipped, and an
# XFAIL is a test that passes on DynamoDB and fails here, so a gap too.
#   usage: run.sh <scylladb checkout> <endpoint> test_item.py [test_table.py ...]
# Needs python3 with pytest and boto3. The suite is unpacked into a scratch directory with the shims beside
# this script standing in for the Scylla test tree (its conftest, cqlpy and pylib) and the CQL driver.
set -eu
checkout=$1; endpoint=$2; shift 2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A partial mirror may lack objects elsewhere in the tree; only test/alternator is needed.
git -C "$checkout" archive HEAD test/alternator 2>/dev/null | tar -x -C "$work"
cp -r "$here/shims/." "$work/test/"
cp -r "$here/stubs" "$work/stubs"
# is_aws() decides which tests are Scylla-only: say yes.
sed -i 's/^def is_aws(dynamodb):$/&\n    import os\n    if os.environ.get("NIMBUS_AWS_STYLE"): return True/' "$work/test/alternator/util.py"
status=0
for file in "$@"; do
  echo "== $file"
  (cd "$work" && env -u AWS_PROFILE PYTHONPATH="$work/stubs" NIMBUS_AWS_STYLE=1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
    timeout 600 python3 -m pytest -c test/pytest.ini --rootdir test -p no:cacheprovider -p no:faulthandler -q -rfE --url "$endpoint" "test/alternator/$file") || status=1
done
exit $status
