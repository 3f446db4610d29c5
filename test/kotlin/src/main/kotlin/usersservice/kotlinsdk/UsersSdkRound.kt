package usersservice.kotlinsdk

import io.appwrite.Client
import io.appwrite.Query
import io.appwrite.exceptions.AppwriteException
import io.appwrite.models.User
import io.appwrite.services.Users
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlin.system.exitProcess

/**
 * One round of the Users API through the real Kotlin Appwrite SDK, compiled against whichever SDK
 * generation the Maven profile chose (test/kotlin/pom.xml):
 *
 *   java -cp "classes:lib/(every jar)" usersservice.kotlinsdk.UsersSdkRoundKt ENDPOINT PROJECT KEY ID_PREFIX GENERATION
 *
 * create (email, password, name), get, list with a query, updateName, delete, and a get that must
 * fail. It asserts nothing itself: it prints ONE JSON line of what the SDK returned and the test
 * (test/e2e/kotlin-sdk.e2e.ts) asserts on that. Exit 0 when every step returned (the last get by
 * throwing AppwriteException), 1 when a step threw or timed out (`failedAt`, `error` say which), 2 on usage.
 */

/** A step that never answers fails in this time: the 6.1.0 SDK waits forever on a model it cannot parse. */
private const val STEP_TIMEOUT_MS = 15_000L
private const val PASSWORD = "correct horse battery"

private class StepFailed(val step: String, cause: Throwable) : Exception(cause)

fun main(args: Array<String>) {
    if (args.size != 5) {
        System.err.println("usage: UsersSdkRoundKt ENDPOINT PROJECT KEY ID_PREFIX GENERATION")
        exitProcess(2)
    }
    val (endpoint, project, key, prefix, generation) = args
    val seen = linkedMapOf<String, Any?>("generation" to generation)
    // The SDK parses answers on OkHttp's threads; what it throws there never reaches our coroutine
    // (that is how it hangs), so it is collected here and reported.
    val uncaught = mutableListOf<String>()
    Thread.setDefaultUncaughtExceptionHandler { thread, e ->
        synchronized(uncaught) { uncaught += "${thread.name}: ${describe(e)}" }
        // A failure of main itself must not vanish: the report would never be printed.
        if (thread.name == "main") e.printStackTrace()
    }

    val client = Client().setEndpoint(endpoint).setProject(project).setKey(key)
    seen["sdkHeaders"] = sdkHeaders(client)
    val users = Users(client)
    val userId = "$prefix-kt"
    val email = "$userId@kotlin.example"

    val completed = runBlocking {
        try {
            val created = step("create") { users.create(userId = userId, email = email, password = PASSWORD, name = "Kot Lin") }
            seen["created"] = summary(created)
            // The model's own fields, by reflection: 6.1.0's toMap() throws on a target without provider
            // (it casts providerId, null in Appwrite's answers too, to a non-null type).
            seen["modelFields"] = created.javaClass.declaredFields.map { it.name }.filter { it != "Companion" }.sorted()

            seen["fetched"] = summary(step("get") { users.get(userId) })

            // Each generation writes its own query syntax: equal("email", ["…"]) in 1.2.0, JSON in 6.x.
            val query = Query.equal("email", listOf(email))
            seen["listQuery"] = query
            val listed = step("list") { users.list(queries = listOf(query)) }
            seen["listed"] = mapOf("total" to listed.total, "ids" to listed.users.map { it.id })

            seen["renamed"] = summary(step("updateName") { users.updateName(userId, "Kot Renamed") })

            step("delete") { users.delete(userId) }
            seen["deleted"] = true

            seen["getAfterDelete"] = step("getAfterDelete") {
                try {
                    mapOf("returned" to summary(users.get(userId)))
                } catch (e: AppwriteException) {
                    mapOf("code" to e.code, "type" to e.type, "message" to e.message)
                }
            }
            true
        } catch (e: StepFailed) {
            seen["failedAt"] = e.step
            seen["error"] = describe(e.cause!!)
            false
        }
    }
    seen["uncaught"] = synchronized(uncaught) { uncaught.toList() }
    println(toJson(seen))
    System.out.flush()
    // OkHttp's idle dispatcher threads are not daemons and would keep the JVM alive for a minute.
    exitProcess(if (completed) 0 else 1)
}

private suspend fun <T> step(name: String, call: suspend () -> T): T =
    try {
        withTimeout(STEP_TIMEOUT_MS) { call() }
    } catch (e: TimeoutCancellationException) {
        throw StepFailed(name, IllegalStateException("no answer from the SDK within $STEP_TIMEOUT_MS ms"))
    } catch (e: Exception) {
        throw StepFailed(name, e)
    }

private fun summary(user: User<*>): Map<String, Any?> =
    mapOf("id" to user.id, "name" to user.name, "email" to user.email, "status" to user.status)

/** What the SDK sends as its version and response format (a private field: the SDK has no getter). */
private fun sdkHeaders(client: Client): Map<String, String?> {
    val field = Client::class.java.getDeclaredField("headers").apply { isAccessible = true }
    @Suppress("UNCHECKED_CAST")
    val headers = (field.get(client) as Map<String, String>).mapKeys { it.key.lowercase() }
    return mapOf("sdkVersion" to headers["x-sdk-version"], "responseFormat" to headers["x-appwrite-response-format"])
}

private fun describe(e: Throwable): String {
    val where = e.stackTrace.take(3).joinToString(" < ")
    val code = if (e is AppwriteException) " (code ${e.code}, type ${e.type})" else ""
    return "${e.javaClass.name}: ${e.message}$code at $where" + (e.cause?.let { " caused by ${describe(it)}" } ?: "")
}

/** Enough JSON for the report: maps, lists, strings, numbers, booleans and null. */
private fun toJson(value: Any?): String = when (value) {
    null -> "null"
    is String -> quote(value)
    is Number, is Boolean -> value.toString()
    is Map<*, *> -> value.entries.joinToString(",", "{", "}") { (k, v) -> "${quote(k.toString())}:${toJson(v)}" }
    is Iterable<*> -> value.joinToString(",", "[", "]") { toJson(it) }
    else -> quote(value.toString())
}

private fun quote(s: String): String = buildString {
    append('"')
    for (c in s) {
        when {
            c == '"' -> append("\\\"")
            c == '\\' -> append("\\\\")
            c == '\n' -> append("\\n")
            c < ' ' -> append("\\u%04x".format(c.code))
            else -> append(c)
        }
    }
    append('"')
}
