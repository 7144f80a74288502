package io.timbridge.verify;

import io.timbridge.testsupport.TestDatabases.Kind;

/** The same import, sync and verify with the legacy sample in MariaDB (skipped where no server answers, required in CI). */
class VerifyAfterSyncOnMariaDbTest extends VerifyAfterSyncTest {

    @Override
    Kind kind() {
        return Kind.MARIADB;
    }
}
