from portal import envfile


def test_a_new_env_file_gets_its_own_metrics_token(tmp_path):
    first, second = tmp_path / "a.env", tmp_path / "b.env"
    envfile.ensure(first)
    envfile.ensure(second)

    def token(path) -> str:
        (line,) = [
            line
            for line in path.read_text().splitlines()
            if line.startswith("METRICS_TOKEN=")
        ]
        return line.removeprefix("METRICS_TOKEN=")

    assert len(token(first)) >= 32
    assert token(first) != token(second)
