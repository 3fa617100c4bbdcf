import gc


def test_startup_objects_are_left_out_of_the_cyclic_collector():
    # given: Django set up (pytest-django), so IntegrationsConfig.ready() ran
    # then: what startup loaded is frozen, out of every collection's scan
    assert gc.get_freeze_count() > 0
