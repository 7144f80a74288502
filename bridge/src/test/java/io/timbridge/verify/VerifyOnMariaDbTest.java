package io.timbridge.verify;

import io.timbridge.testsupport.TestDatabases.Kind;

/** The same verify runs with the legacy sample in MariaDB (skipped where no server answers, required in CI). */
class VerifyOnMariaDbTest extends VerifyEndToEndTest {

    @Override
    Kind kind() {
        return Kind.MARIADB;
    }
}
