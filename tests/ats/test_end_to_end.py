"""Every ATS adapter end to end: real HTTP against the sample site's API mirrors, real Redis.

The sample site generates each board from its name (deployments.sample.ats), so the postings an
adapter returns are checked against the generated jobs they came from: every structured field
the source states must arrive in the Posting.
"""

import asyncio
import json
import logging
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deployments.sample.ats.applicantpro import applicantpro_id, domain_id
from deployments.sample.ats.boards import board
from deployments.sample.ats.breezy import breezy_friendly_id, breezy_id
from deployments.sample.ats.careerplug import careerplug_id
from deployments.sample.ats.comeet import comeet_page
from deployments.sample.ats.dover import dover_client_id
from deployments.sample.ats.gem import gem_id
from deployments.sample.ats.hibob import hibob_id
from deployments.sample.ats.hireology import hireology_id
from deployments.sample.ats.homerun import (
    homerun_id,
    homerun_places,
    homerun_url,
    salary_indication,
)
from deployments.sample.ats.icims import icims_path
from deployments.sample.ats.jazzhr import EXPERIENCE, has_jsonld, jazzhr_code, jazzhr_location
from deployments.sample.ats.jobvite import jobvite_id
from deployments.sample.ats.join import join_company_id, join_id_param
from deployments.sample.ats.personio import personio_id
from deployments.sample.ats.smartrecruiters import smartrecruiters_id
from deployments.sample.ats.successfactors import job_link
from deployments.sample.ats.taleo import LEFT_OUT, feed_jobs, job_page
from deployments.sample.ats.workable import workable_code
from deployments.sample.ats.workday import workday_path
from deployments.sample.ats.wttj import wttj_reference, wttj_slug
from deployments.sample.ats.zoho import zoho_id
from deployments.sample.jobs import Job
from tasks.errors import FetchError
from tasks.fetch.http import Fetcher
from tasks.fetch.sources import ATS_ADAPTERS, board_from_page, detect_source
from tasks.fetch.sources.ats import (
    ashby,
    personio,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
    workday,
)
from tasks.fetch.sources.common import MAX_ITEMS, collect_pages
from tasks.fetch.stage import fetch_postings
from tasks.models import Company, Posting, RemotePolicy, Source
from tasks.settings import Settings

SETTINGS = Settings(allow_private_hosts=True, retry_wait_max_s=0.2, host_interval_s=0)
COMPANY = Company(name="Edge Case Inc", careers_url="https://example.com/careers")

UKG_BOARD = "9f11bf9f-0141-43d4-8b6b-7795635662ab"  # a UKG board's GUID, next to its tenant
PAYLOCITY_BOARD = "8e0feae7-e42f-437e-97b1-53b917185eed"  # a Paylocity board's GUID

# A careers URL of each ATS, for a board name.
CAREERS = {
    Source.greenhouse: "https://boards.greenhouse.io/{}",
    Source.lever: "https://jobs.lever.co/{}",
    Source.ashby: "https://jobs.ashbyhq.com/{}",
    Source.workable: "https://apply.workable.com/{}/",
    Source.smartrecruiters: "https://careers.smartrecruiters.com/{}",
    Source.recruitee: "https://{}.recruitee.com/",
    Source.personio: "https://{}.jobs.personio.de/",
    Source.teamtailor: "https://{}.teamtailor.com/jobs",
    Source.workday: "https://{}.wd5.myworkdayjobs.com/en-US/External",
    Source.pinpoint: "https://{}.pinpointhq.com/",
    Source.bamboohr: "https://{}.bamboohr.com/careers",
    Source.zoho: "https://{}.zohorecruit.com/jobs/Careers",
    Source.breezy: "https://{}.breezy.hr/",
    Source.jazzhr: "https://{}.applytojob.com/apply",
    Source.homerun: "https://{}.homerun.co/",
    Source.oracle: "https://{}.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1",
    Source.ukg: "https://recruiting.ultipro.com/{}/JobBoard/" + UKG_BOARD,
    Source.paylocity: "https://recruiting.paylocity.com/Recruiting/Jobs/All/"
    + PAYLOCITY_BOARD
    + "/{}",
    Source.icims: "https://{}.icims.com/jobs/search?ss=1",
    Source.jobvite: "https://jobs.jobvite.com/{}/jobs",
    Source.successfactors: "https://{}.jobs2web.com/",
    # A TBE site is named by its org and cws; the sample names each test board by its pod.
    Source.taleo: "https://phf.tbe.taleo.net/{0}/ats/careers/v2/searchResults?org=ACME&cws=41",
    Source.rippling: "https://ats.rippling.com/{}/jobs",
    Source.gem: "https://jobs.gem.com/{}",
    Source.dover: "https://app.dover.com/jobs/{}",
    Source.hireology: "https://careers.hireology.com/{}",
    Source.careerplug: "https://{}.careerplug.com/jobs",
    Source.applicantpro: "https://{}.applicantpro.com/jobs/",
    Source.join: "https://join.com/companies/{}",
    Source.hibob: "https://{}.careers.hibob.com/jobs",
    Source.comeet: "https://www.comeet.com/jobs/{}/4A.00B",
    Source.wttj: "https://www.welcometothejungle.com/fr/companies/{}",
}


def fetch_board(redis, site, source: Source, name: str) -> list[Posting]:
    """The board's postings, read the way the fetch stage reads them, from the sample site."""
    adapter = ATS_ADAPTERS[source]
    careers_url = CAREERS[source].format(name)
    api = adapter.api_url(careers_url, root=f"{site.base_url}/{source}")
    company = Company(name="Acme Robotics", careers_url=careers_url, api_url=api)

    async def main() -> list[Posting]:
        async with Fetcher(SETTINGS, redis) as fetcher:
            return await adapter.fetch(fetcher, api, company)

    return asyncio.run(main())


def day(job: Job) -> datetime:
    """Midnight UTC of the posting day: what sources that state only a date give."""
    return datetime.combine(job.posted_at.date(), datetime.min.time(), UTC)


def _assert_utc(moment: datetime | None) -> None:
    assert moment is not None and moment.tzinfo is not None
    assert moment.utcoffset().total_seconds() == 0


# ---------------------------------------------------------------- structured fields, per ATS
# For each ATS: what the Posting of a generated job must say, field by field, as that ATS states
# it (None where the source does not state a field: enrichment infers those).

SECOND_OFFICE = "Lisbon, Portugal"  # where job 1 is also open (the sample's second office)


def _workable(job: Job, name: str) -> dict:
    place = f"{job.city}, {job.region}, {job.country}"
    return {
        "url": f"https://apply.workable.com/j/{workable_code(job)}",
        "external_id": workable_code(job),
        # Workable names the region too; "Lisbon, Lisbon" collapses to one Lisbon.
        "location": f"{place}; {SECOND_OFFICE}" if job.n == 1 else place,
        "department": job.department,
        "posted_at": day(job),
        # telecommuting false is said of hybrid and on-site jobs alike: not a policy.
        "remote": RemotePolicy.remote if job.remote == "remote" else None,
        "employment_type": job.employment,
        "salary": None,
    }


def _smartrecruiters(job: Job, name: str) -> dict:
    posting = smartrecruiters_id(job)
    return {
        "url": f"https://jobs.smartrecruiters.com/{name}/{posting}-"
        + re.sub(r"[^a-z0-9]+", "-", job.title.lower()).strip("-"),
        "external_id": posting,
        "location": f"{job.city}, {job.region}, {job.country}",
        "department": job.department,
        "posted_at": job.posted_at,
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": None,
    }


def _recruitee(job: Job, name: str) -> dict:
    pay = job.pay
    return {
        "external_id": str(job.number),
        "location": f"{job.city}, {job.country}",
        "department": job.department,
        "posted_at": job.posted_at,
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _personio(job: Job, name: str) -> dict:
    return {
        "url": f"https://{name}.jobs.personio.de/job/{personio_id(job)}",
        "external_id": str(personio_id(job)),
        "location": f"{job.city}; Hamburg" if job.n == 1 else job.city,
        "department": job.department,
        "posted_at": job.posted_at,
        "remote": None,
        "employment_type": job.employment,
        "salary": None,
    }


def _teamtailor(job: Job, name: str) -> dict:
    return {
        "external_id": job.uid,
        "location": f"{job.city}, {job.country}",
        "department": job.department,
        "posted_at": job.posted_at,
        "remote": job.remote,
        "employment_type": None,
        "salary": None,
    }


def _workday(job: Job, name: str) -> dict:
    place = f"{job.city}, {job.region}"
    return {
        "url": f"https://{name}.wd5.myworkdayjobs.com/External{workday_path(job)}",
        "external_id": workday_path(job).rsplit("_", 1)[1],
        "location": f"{place}; Lisbon, Lisbon" if job.n == 1 else place,
        "department": None,
        "posted_at": day(job),
        "remote": job.remote if job.remote != "onsite" else None,  # no remoteType when on-site
        "employment_type": "part_time" if job.employment == "part_time" else "full_time",
        "salary": None,
    }


def _pinpoint(job: Job, name: str) -> dict:
    pay = job.pay
    return {
        "url": f"https://{name}.pinpointhq.com/en/postings/{job.uid}",
        "external_id": str(job.number),
        "location": f"{job.city}, {job.region}",
        "department": job.department,
        "posted_at": None,  # Pinpoint's list states no date
        "remote": job.remote,
        # "contract_temp", Pinpoint's Contract / Temp, says temporary as much as contract.
        "employment_type": "temporary" if job.employment == "contract" else job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _bamboohr(job: Job, name: str) -> dict:
    return {
        "url": f"https://{name}.bamboohr.com/careers/{job.number}",
        "external_id": str(job.number),
        # A remote opening's place comes from atsLocation, the others' from location.
        "location": ", ".join(dict.fromkeys((job.city, job.region, job.country))),
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": job.department,
        "posted_at": day(job),  # datePosted is a date
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": None,  # BambooHR words pay as prose: it reaches the description
    }


def _zoho(job: Job, name: str) -> dict:
    remote = job.remote == "remote"
    place = (None, None) if remote else (job.city, job.region)
    yearly = job.pay if job.pay and job.pay.period == "year" else None
    return {
        "url": f"https://{name}.zohorecruit.com/jobs/Careers/{zoho_id(job)}/"
        + re.sub(r"[^A-Za-z0-9]+", "-", job.title).strip("-")
        + "?source=CareerSite",
        "external_id": zoho_id(job),
        # A remote opening names only its country.
        "location": ", ".join(dict.fromkeys(p for p in (*place, job.country) if p)),
        "locations": [
            {"city": place[0], "region": place[1], "country": job.country_code},
        ],
        "department": None,  # Zoho's career site states none
        "posted_at": day(job),  # Date_Opened is a date, "10/30/2025"
        "remote": "remote" if remote else None,  # Remote_Job false: not remote, no more
        "employment_type": job.employment,
        # A bare amount is a salary (no period stated); worded pay joins the description.
        "salary": yearly
        and {"min": yearly.min, "max": None, "currency": yearly.currency, "period": None},
    }


def _breezy(job: Job, name: str) -> dict:
    pay = job.pay
    return {
        "url": f"https://{name}.breezy.hr/p/{breezy_friendly_id(job)}",
        "external_id": breezy_id(job),
        "location": f"{job.city}, {job.country_code}",  # location.name; repeats dropped
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": None if job.n % 7 == 3 else job.department,
        "posted_at": job.posted_at,
        "remote": job.remote,  # remote_details.value, not is_remote (true for hybrid too)
        "employment_type": job.employment,
        # The job page's baseSalary; the list's salary text joins the description.
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _jazzhr(job: Job, name: str) -> dict:
    stated = has_jsonld(job)  # only a page's JSON-LD states a date and pay
    pay = job.pay if stated else None
    return {
        "url": f"https://{name}.applytojob.com/apply/{jazzhr_code(job)}",
        "external_id": jazzhr_code(job),
        "location": jazzhr_location(job),
        # The JSON-LD's address, else the location text read as a place ("Remote": none).
        "locations": []
        if job.remote == "remote" and not stated
        else [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": job.department,  # the row's, else the page's (empty spans)
        "posted_at": day(job) if stated else None,
        "remote": "remote" if job.remote == "remote" else None,  # TELECOMMUTE, or "Remote"
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _homerun(job: Job, name: str) -> dict:
    lisbon = {"city": "Lisbon", "region": None, "country": "PT"}
    here = {"city": job.city, "region": None, "country": job.country_code}
    return {
        "url": homerun_url(name, job),
        "external_id": homerun_id(job),
        "location": "; ".join(homerun_places(job)),
        # The labels read as places: no country field, no region; "Remote" names none.
        "locations": [] if job.remote == "remote" else [here, lisbon] if job.n % 5 == 0 else [here],
        "department": job.department,
        "posted_at": None,  # <updated> is an edit time
        "remote": job.remote if job.remote != "onsite" else None,  # the label's words
        "employment_type": job.employment,
        "salary": None,  # display text, into the description
    }


def _oracle(job: Job, name: str) -> dict:
    place = f"{job.city}, {job.region}, {job.country}"
    site = f"https://{name}.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1"
    places = [{"city": job.city, "region": job.region, "country": job.country_code}]
    lisbon = {"city": "Lisbon", "region": "Lisbon", "country": "PT"}
    return {
        "url": f"{site}/job/{job.number}",
        "external_id": str(job.number),
        # Job 1 is also open in the second office: a secondary location.
        "location": f"{place}; Lisbon, Lisbon, Portugal" if job.n == 1 else place,
        "locations": [*places, lisbon] if job.n == 1 else places,
        "department": job.department,  # the detail's Category
        "posted_at": job.posted_at,  # the detail's ExternalPostedStartDate
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": None,  # pay is a flexfield in words: it reaches the description
    }


def _ukg(job: Job, name: str) -> dict:
    pay = job.pay
    remote = job.remote == "remote"
    place = {"city": job.city, "region": job.region, "country": job.country_code}
    places = [{"city": None, "region": None, "country": job.country_code}] if remote else [place]
    text = job.country if remote else ", ".join(dict.fromkeys((job.city, job.region, job.country)))
    if job.n == 1 and not remote:
        text += f"; {SECOND_OFFICE}"
        places.append({"city": "Lisbon", "region": "Lisbon", "country": "PT"})
    board = f"https://recruiting.ultipro.com/{name}/JobBoard/{UKG_BOARD}"
    return {
        "url": f"{board}/OpportunityDetail?opportunityId={job.uid}",
        "external_id": job.uid,
        # A remote opportunity is at "Remote - USA": its address names the country alone.
        "location": text,
        "locations": places,
        "department": job.department,
        "posted_at": job.posted_at,  # the board's ExternalPostedDate, not the requisition's
        "remote": job.remote,
        "employment_type": "part_time" if job.employment == "part_time" else "full_time",
        # Yearly and hourly ranges are shown; a monthly one is hidden (PayRangeVisible false).
        "salary": {"min": pay.min, "max": pay.max, "currency": pay.currency, "period": pay.period}
        if pay and pay.period in ("year", "hour")
        else None,
    }


def _paylocity(job: Job, name: str) -> dict:
    pay = job.pay
    country = {"US": "USA", "GB": "GBR", "CA": "CAN", "DE": "DEU", "NL": "NLD", "FR": "FRA"}
    remote = job.remote == "remote"
    place = {"city": job.city, "region": job.region, "country": job.country_code}
    return {
        "url": f"https://recruiting.paylocity.com/Recruiting/Jobs/Details/{job.number}",
        "external_id": str(job.number),
        # A remote job is at "LI-Remote", its country alone in JobLocation.
        "location": "LI-Remote"
        if remote
        else ", ".join(dict.fromkeys((job.city, job.region, country[job.country_code]))),
        "locations": [{"city": None, "region": None, "country": job.country_code}]
        if remote
        else [place],
        "department": job.department,
        "posted_at": job.posted_at.replace(second=0, microsecond=0),
        # "LI-Remote" and "Hybrid - Berlin" say it; an on-site job's label says nothing.
        "remote": None if job.remote == "onsite" else job.remote,
        "employment_type": job.employment,  # the page's "Job Type"
        # Pay as amounts only in the JSON-LD, which every other job page carries.
        "salary": {"min": pay.min, "max": pay.max, "currency": pay.currency, "period": pay.period}
        if pay and job.n % 2 == 0
        else None,
    }


def _icims(job: Job, name: str) -> dict:
    # A remote posting's city is iCIMS's "UNAVAILABLE": no city.
    city = None if job.remote == "remote" else job.city
    places = [{"city": city, "region": job.region, "country": job.country_code}]
    location = ", ".join(dict.fromkeys(p for p in (city, job.region, job.country_code) if p))
    if job.n == 1:
        places.append({"city": "Lisbon", "region": "Lisbon", "country": "PT"})
        location += "; Lisbon, PT"
    return {
        "url": f"https://{name}.icims.com{icims_path(job)}",
        "external_id": str(job.number),
        "location": location,
        "locations": places,
        "department": job.department,
        "posted_at": job.posted_at,
        "remote": job.remote,  # the portal's "Location Type" field
        "employment_type": job.employment,
        "salary": None,  # pay is a field the company words: it reaches the description
    }


def _jobvite(job: Job, name: str) -> dict:
    pay = job.pay
    places = [{"city": job.city, "region": job.region, "country": job.country_code}]
    location = ", ".join(dict.fromkeys((job.city, job.region, job.country)))
    if job.n == 1:
        places.append({"city": "Lisbon", "region": "Lisbon", "country": "PT"})
        location += "; Lisbon, Portugal"
    return {
        "url": f"https://jobs.jobvite.com/{name}/job/{jobvite_id(job)}",
        "external_id": jobvite_id(job),
        "location": location,  # the JSON-LD's places, with the country the list leaves out
        "locations": places,
        "department": job.department,  # the meta line's category
        "posted_at": day(job),  # datePosted is a date
        # "Remote, Canada", "Hybrid Remote, Austin, TX": an on-site place says nothing.
        "remote": None if job.remote == "onsite" else job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _successfactors(job: Job, name: str) -> dict:
    return {
        "url": job_link(name, job),
        "external_id": str(job.number),
        # g:location "City, Region, CC, postal": the postal code is no place.
        "location": f"{job.city}, {job.region}, {job.country_code}",
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": None if job.n == 3 else job.department,  # job 3: "ATS_WEBFORM"
        "posted_at": None,  # the feed states when a posting expires, not when it was posted
        "remote": None,
        "employment_type": None,
        "salary": None,
    }


def _taleo(job: Job, name: str) -> dict:
    # The feed leaves job 3 out: it is read from its page (JSON-LD: a date, no department).
    from_page = job.n == LEFT_OUT
    page_place = ", ".join(dict.fromkeys((job.city, job.region, job.country_code)))
    return {
        "url": job_page(name, "ACME", "41", job),
        "external_id": str(job.number),
        # The feed's taleo:location label as the site wrote it, or the page's address.
        "location": page_place if from_page else f"{job.city}, {job.region}",
        # taleo:locationState "US-CA" names the country where taleo:locationCountry is missing.
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": None if from_page else job.department,
        "posted_at": day(job) if from_page else job.posted_at,
        "remote": None,
        "employment_type": job.employment if from_page else None,
        "salary": None,
    }


def _rippling(job: Job, name: str) -> dict:
    pay = job.pay
    remote = job.remote == "remote"
    # A remote place is named by its region ("Remote (CA, US)") and states no city.
    place = f"Remote ({job.region}, {job.country_code})" if remote else f"{job.city}, {job.region}"
    second = "Remote (Lisbon, PT)" if remote else "Lisbon, Lisbon"
    located = [{"city": None if remote else job.city, "region": job.region}]
    located[0]["country"] = job.country_code
    if job.n == 1:  # also open in the second office: the rows of both places merge
        located.append({"city": None if remote else "Lisbon", "region": "Lisbon", "country": "PT"})
    return {
        "url": f"https://ats.rippling.com/{name}/jobs/{job.uid}",
        "external_id": job.uid,
        "location": f"{place}; {second}" if job.n == 1 else place,
        "locations": located,
        "department": job.department,
        "posted_at": job.posted_at,  # createdOn, at -07:00
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _gem(job: Job, name: str) -> dict:
    return {
        "url": f"https://jobs.gem.com/{name}/{gem_id(job)}",
        "external_id": gem_id(job),
        # The post's location, then its offices' (job 1 has a second one, in Lisbon).
        "location": f"{job.city}, {job.country}",
        "locations": [{"city": job.city, "region": None, "country": job.country_code}]
        + ([{"city": "Lisbon", "region": None, "country": "PT"}] if job.n == 1 else []),
        "department": job.department,
        "posted_at": job.posted_at,  # first_published_at
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": None,  # Gem words pay as prose: it stays in the description
    }


def _dover(job: Job, name: str) -> dict:
    pay = job.pay
    located = [{"city": job.city, "region": job.region, "country": job.country_code}]
    if job.n == 1:  # also open in the second office
        located.append({"city": "Lisbon", "region": "Lisbon", "country": "PT"})
    return {
        "url": f"https://app.dover.com/apply/{name}/{job.uid}",
        "external_id": job.uid,
        "location": f"{job.city}, {job.country}" + ("; Lisbon, Portugal" if job.n == 1 else ""),
        "locations": located,
        "department": job.department,  # the board's job group
        "posted_at": job.posted_at,  # created
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


class _DoverJobsPath:
    """Dover's jobs path names a board by its client id, which the sample derives from the name."""

    def format(self, name: str) -> str:
        return f"/dover/api/v1/careers-page/{dover_client_id(name)}/jobs"


def _hireology(job: Job, name: str) -> dict:
    pay = job.pay
    place = ", ".join(dict.fromkeys((job.city, job.region)))  # "Berlin, Berlin": one Berlin
    return {
        "url": f"https://careers.hireology.com/{name}/{hireology_id(job)}/description",
        "external_id": str(hireology_id(job)),
        "location": f"{place}; Lisbon" if job.n == 1 else place,
        "department": job.department,  # job_family
        "posted_at": job.posted_at,
        "remote": "remote" if job.remote == "remote" else None,
        "employment_type": job.employment,
        # Amounts and period; the currency is not stated.
        "salary": pay and {"min": pay.min, "max": pay.max, "currency": None, "period": pay.period},
    }


def _careerplug(job: Job, name: str) -> dict:
    pay = job.pay if job.pay and job.pay.currency == "USD" and job.pay.period != "month" else None
    return {
        "url": f"https://{name}.careerplug.com/jobs/{careerplug_id(job)}",
        "external_id": careerplug_id(job),
        "location": ", ".join(dict.fromkeys((job.city, job.region, job.country_code))),
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": None,  # not stated
        "posted_at": job.posted_at,
        "remote": None,  # not stated
        "employment_type": job.employment,
        # baseSalary, where the job page states it (the sample: hourly and yearly USD pay)
        "salary": pay and {"min": pay.min, "max": pay.max, "currency": "USD", "period": pay.period},
    }


def _applicantpro(job: Job, name: str) -> dict:
    pay = job.pay if job.pay and job.pay.period != "month" else None  # monthly pay is worded
    iso3 = {"US": "USA", "DE": "DEU", "NL": "NLD", "FR": "FRA", "GB": "GBR", "CA": "CAN"}
    return {
        "url": f"https://{name}.applicantpro.com/jobs/{applicantpro_id(job)}",
        "external_id": str(applicantpro_id(job)),
        "location": f"{job.city}, {job.region}, {iso3[job.country_code]}, {10_000 + job.n}",
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": job.department,  # orgTitle
        "posted_at": day(job),  # startDateRef is a date
        "remote": job.remote,  # workplaceType
        "employment_type": job.employment,
        # minSalary / maxSalary per payTypeFrame; no currency is stated.
        "salary": pay and {"min": pay.min, "max": pay.max, "currency": None, "period": pay.period},
    }


def _join(job: Job, name: str) -> dict:
    pay = job.pay
    return {
        "url": f"https://join.com/companies/{name}/{join_id_param(job)}",
        "external_id": str(job.number),
        "location": f"{job.city}, {job.country}",
        "locations": [{"city": job.city, "region": None, "country": job.country_code}],
        "department": job.department,  # JOIN's category
        "posted_at": job.posted_at,
        "remote": job.remote,
        "employment_type": job.employment,
        # Amounts in cents, converted back.
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _hibob(job: Job, name: str) -> dict:
    pay = job.pay
    return {
        "url": f"https://{name}.careers.hibob.com/jobs/{hibob_id(job)}",
        "external_id": hibob_id(job),
        "location": f"{job.city}, {job.country}",  # the site and its country
        "locations": [{"city": job.city, "region": None, "country": job.country_code}],
        "department": job.department,
        "posted_at": job.posted_at,  # nanoseconds, of which none count
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


def _comeet(job: Job, name: str) -> dict:
    return {
        "url": comeet_page(name, "4A.00B", job),
        "location": job.city,  # the location's name
        "locations": [{"city": job.city, "region": job.region, "country": job.country_code}],
        "department": job.department,
        "posted_at": None,  # time_updated is no posting date
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": None,  # the Careers API states no pay
    }


def _wttj(job: Job, name: str) -> dict:
    pay = job.pay
    place = f"{job.city}, {job.country}"
    office = {"city": job.city, "region": job.region, "country": job.country_code}
    lisbon = {"city": "Lisbon", "region": "Lisbon", "country": "PT"}
    return {
        "url": f"https://www.welcometothejungle.com/fr/companies/{name}/jobs/{wttj_slug(job)}",
        "external_id": wttj_reference(job),  # one job, however many websites list it
        "location": f"{place}; {SECOND_OFFICE}" if job.n == 1 else place,
        "locations": [office, lisbon] if job.n == 1 else [office],
        "department": None,  # WTTJ states a profession and sectors, no department
        "posted_at": job.posted_at,  # stated with a +02:00 offset
        "remote": job.remote,
        "employment_type": job.employment,
        "salary": pay
        and {"min": pay.min, "max": pay.max, "currency": pay.currency} | {"period": pay.period},
    }


EXPECTED = {
    Source.workable: _workable,
    Source.smartrecruiters: _smartrecruiters,
    Source.recruitee: _recruitee,
    Source.personio: _personio,
    Source.teamtailor: _teamtailor,
    Source.workday: _workday,
    Source.pinpoint: _pinpoint,
    Source.bamboohr: _bamboohr,
    Source.zoho: _zoho,
    Source.breezy: _breezy,
    Source.jazzhr: _jazzhr,
    Source.homerun: _homerun,
    Source.oracle: _oracle,
    Source.ukg: _ukg,
    Source.paylocity: _paylocity,
    Source.icims: _icims,
    Source.jobvite: _jobvite,
    Source.successfactors: _successfactors,
    Source.taleo: _taleo,
    Source.rippling: _rippling,
    Source.gem: _gem,
    Source.dover: _dover,
    Source.hireology: _hireology,
    Source.careerplug: _careerplug,
    Source.applicantpro: _applicantpro,
    Source.join: _join,
    Source.hibob: _hibob,
    Source.comeet: _comeet,
    Source.wttj: _wttj,
}


@pytest.mark.parametrize("source", list(EXPECTED))
def test_postings_carry_every_structured_field(redis, site, source):
    name = f"{source}-fields"
    jobs = board(site, name)
    postings = fetch_board(redis, site, source, name)

    assert [p.title for p in postings] == [job.title for job in jobs]
    for posting, job in zip(postings, jobs, strict=True):
        assert posting.source == source and posting.company == "Acme Robotics"
        assert posting.url.startswith("https://")
        expected = EXPECTED[source](job, name)
        if expected["posted_at"] is not None:
            _assert_utc(posting.posted_at)
        assert posting.posted_at == expected.pop("posted_at")
        actual = posting.model_dump(mode="json", include=set(expected))
        assert actual == expected, f"{source} job {job.n}"
        # The job text arrives as plain text, every section of it.
        assert "<" not in posting.description and "&amp;" not in posting.description
        assert "What we're looking for" in posting.description
        assert job.blocks[-1][1] in posting.description  # the last paragraph (benefits)
    if source in (Source.recruitee, Source.pinpoint, Source.jobvite):
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.bamboohr:
        paid = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        assert paid and len(paid) < len(jobs)
        assert all(f"Compensation\n{job.pay.text}" in p.description for p, job in paid)
    if source == Source.zoho:
        worded = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        worded = [(p, job) for p, job in worded if job.pay.period != "year"]
        assert all(f"Salary\n{job.pay.text}" in p.description for p, job in worded)
    if source == Source.breezy:
        paid = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        assert paid and len(paid) < len(jobs)
        assert all(p.description.endswith(f"Salary\n{job.pay.text}") for p, job in paid)
    if source == Source.jazzhr:
        for posting, job in zip(postings, jobs, strict=True):
            assert posting.description.endswith(f"Experience\n{EXPERIENCE[job.level]}")
    if source == Source.homerun:
        for posting, job in zip(postings, jobs, strict=True):
            assert posting.description.endswith(f"Salary\n{salary_indication(job)}")
    if source == Source.oracle:
        paid = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        assert paid and len(paid) < len(jobs)
        assert all(f"Pay Range\n{job.pay.text}" in p.description for p, job in paid)
    if source == Source.ukg:  # shown yearly and hourly ranges, no hidden or missing one
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.paylocity:  # pay as prose in every paid job's text, amounts in some
        paid = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        assert all(f"Salary Description\n{job.pay.text}" in p.description for p, job in paid)
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.icims:
        paid = [(p, job) for p, job in zip(postings, jobs, strict=True) if job.pay]
        assert paid and len(paid) < len(jobs)
        assert all(f"Pay Range\n{job.pay.text}" in p.description for p, job in paid)
    if source == Source.rippling:
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.join:
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.hibob:
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)
    if source == Source.wttj:
        assert any(p.salary for p in postings) and not all(p.salary for p in postings)


# ---------------------------------------------------------------- the README's table of fields

README = Path(__file__).resolve().parents[2] / "README.md"
FIELD_COLUMNS = {
    "place": "location",
    "workplace": "remote",
    "employment": "employment_type",
    "department": "department",
    "posted": "posted_at",
    "pay": "salary",
}


def readme_fields() -> dict[str, dict[str, str]]:
    """The README's table of what each ATS states: `ats` value -> column -> ✓, — or *some*."""
    lines = README.read_text().splitlines()
    start = lines.index("| `ats` | " + " | ".join(FIELD_COLUMNS) + " |") + 2
    table = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        name, *marks = (cell.strip() for cell in line.strip("|").split("|"))
        table[name.strip("`")] = dict(zip(FIELD_COLUMNS, marks, strict=True))
    return table


def test_readme_lists_the_fields_of_every_ats():
    assert set(readme_fields()) == {str(source) for source in ATS_ADAPTERS}


@pytest.mark.parametrize("source", list(CAREERS))
def test_readme_says_which_fields_each_ats_carries(redis, site, source):
    # Greenhouse publishes pay ranges only on boards that opt in (the sample's "paid..." ones).
    name = f"paid{source}-12" if source == Source.greenhouse else f"{source}-readme-12"
    postings = fetch_board(redis, site, source, name)

    assert postings
    for column, mark in readme_fields()[source].items():
        carried = any(getattr(posting, FIELD_COLUMNS[column]) for posting in postings)
        if mark != "*some*":  # a field only some boards state: not a property of the ATS
            assert carried == (mark == "✓"), f"README says {source} {column}: {mark}"


# ---------------------------------------------------------------- paging and detail calls

# (ATS, postings on the board, requests its list must take)
PAGED = [
    (Source.greenhouse, 105, 1),
    (Source.lever, 105, 2),  # skip/limit 100: 100 + 5
    (Source.ashby, 105, 1),
    (Source.workable, 105, 1),
    (Source.smartrecruiters, 105, 2),  # limit 100, until totalFound
    (Source.recruitee, 105, 1),
    (Source.personio, 105, 1),
    (Source.teamtailor, 105, 2),  # offset/per_page 100
    (Source.workday, 45, 3),  # limit 20: 20 + 20 + 5, total stated on the first page only
    (Source.pinpoint, 105, 1),
    (Source.bamboohr, 105, 1),  # the whole board, then each opening's detail
    (Source.zoho, 105, 1),  # the whole board in one answer: it refuses page parameters
    (Source.breezy, 105, 1),  # the whole board, then each job's page
    (Source.jazzhr, 105, 1),  # the whole board in one HTML table, then each job's page
    (Source.homerun, 105, 1),  # the whole board in one Atom feed
    (Source.oracle, 205, 2),  # limit 200 inside the finder: 200 + 5, then each detail
    (Source.ukg, 105, 3),  # Top 50: 50 + 50 + 6 (one closed since), then each page
    (Source.paylocity, 105, 1),  # the board page, then each job's page
    (Source.icims, 105, 6),  # 20 a page: 106 listed (one closes before its page is read)
    (Source.jobvite, 105, 3),  # 50 a page until "N of 106" (one closes before it is read)
    (Source.successfactors, 105, 1),  # the whole site in one feed
    (Source.taleo, 105, 11),  # the feed, then the list: 10 rows a page, to the stated total
    (Source.rippling, 105, 2),  # pageSize 100: 100 + 5, then each posting's detail
    (Source.gem, 105, 1),  # the whole board, unpaged
    (Source.dover, 105, 2),  # limit 100: 100 + 6 (a sample job too), then each detail
    (Source.hireology, 105, 2),  # page_size 100 until count (and the career page's token)
    (Source.careerplug, 45, 4),  # 20 a page until one lists none: 20 + 20 + 5 + 0
    (Source.applicantpro, 105, 1),  # the whole board, then each job's details
    (Source.join, 12, 1),  # the careers page once, for the id; the jobs API is counted below
    (Source.hibob, 105, 1),  # the whole board in one answer
    (Source.comeet, 105, 1),  # the careers page for the token; the positions counted below
    (Source.wttj, 105, 1),  # the organization once; the search, 100 a page, counted below
]
LIST_PATHS = {
    Source.greenhouse: "/greenhouse/v1/boards/{}/jobs",
    Source.lever: "/lever/v0/postings/{}",
    Source.ashby: "/ashby/posting-api/job-board/{}",
    Source.workable: "/workable/api/v1/widget/accounts/{}",
    Source.smartrecruiters: "/smartrecruiters/v1/companies/{}/postings",
    Source.recruitee: "/recruitee/{}/api/offers/",
    Source.personio: "/personio/{}/xml",
    Source.teamtailor: "/teamtailor/{}/jobs.rss",
    Source.workday: "/workday/wday/cxs/{}/External/jobs",
    Source.pinpoint: "/pinpoint/{}/postings.json",
    Source.bamboohr: "/bamboohr/{}/careers/list",
    Source.zoho: "/zoho/{}/recruit/v2/public/Job_Openings",
    Source.breezy: "/breezy/{}/json",
    Source.jazzhr: "/jazzhr/{}/apply/jobs",
    Source.homerun: "/homerun/{}",
    Source.oracle: "/oracle/{}.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/"
    "recruitingCEJobRequisitions",
    Source.ukg: "/ukg/{}/JobBoard/" + UKG_BOARD + "/JobBoardView/LoadSearchResults",
    Source.paylocity: "/paylocity/Recruiting/Jobs/All/" + PAYLOCITY_BOARD + "/{}",
    Source.icims: "/icims/{}/jobs/search",
    Source.jobvite: "/jobvite/{}/search/",
    Source.successfactors: "/successfactors/{}/googlefeed.xml",
    Source.taleo: "/taleo/{}/ats/careers/v2/searchResults",
    Source.rippling: "/rippling/platform/api/ats/v2/board/{}/jobs",
    Source.gem: "/gem/job_board/v0/{}/job_posts/",
    Source.dover: _DoverJobsPath(),
    Source.hireology: "/hireology/v2/public/careers/{}",
    Source.careerplug: "/careerplug/{}/jobs",
    Source.applicantpro: "/applicantpro/{}/core/jobs/19218",
    Source.join: "/join/companies/{}",
    Source.hibob: "/hibob/{}/api/job-ad",
    Source.comeet: "/comeet/jobs/{}/4A.00B",
    Source.wttj: "/wttj/api/v1/organizations/{}",
}


@pytest.mark.parametrize(("source", "size", "requests"), PAGED)
def test_fetch_reads_every_page_of_a_large_board(redis, site, source, size, requests):
    name = f"{source}-paged-{size}"
    postings = fetch_board(redis, site, source, name)

    assert len(postings) == size
    assert len({p.external_id for p in postings}) == size
    assert [p.title for p in postings] == [job.title for job in board(site, name)]
    assert site.hits(LIST_PATHS[source].format(name)) == requests
    if source == Source.smartrecruiters:  # every posting's detail, and the one that closed
        details = [
            f"/smartrecruiters/v1/companies/{name}/postings/{smartrecruiters_id(job)}"
            for job in board(site, name, extra=1)
        ]
        assert [site.hits(path) for path in details] == [1] * (size + 1)
    if source == Source.workday:
        details = [f"/workday/wday/cxs/{name}/External{workday_path(j)}" for j in board(site, name)]
        assert [site.hits(path) for path in details] == [1] * size
    if source == Source.bamboohr:
        details = [f"/bamboohr/{name}/careers/{job.number}/detail" for job in board(site, name)]
        assert [site.hits(path) for path in details] == [1] * size
    if source == Source.breezy:
        pages = [f"/breezy/{name}/p/{breezy_friendly_id(job)}" for job in board(site, name)]
        assert [site.hits(path) for path in pages] == [1] * size
    if source == Source.jazzhr:
        pages = [f"/jazzhr/{name}/apply/{jazzhr_code(job)}" for job in board(site, name)]
        assert [site.hits(path) for path in pages] == [1] * size
    if source == Source.oracle:  # one detail path, the requisition named in its finder
        details = LIST_PATHS[source].format(name).replace("Requisitions", "RequisitionDetails")
        assert site.hits(details) == size
    if source == Source.ukg:  # one page per opportunity, the closed one's too
        assert site.hits(f"/ukg/{name}/JobBoard/{UKG_BOARD}/OpportunityDetail") == size + 1
    if source == Source.paylocity:  # each job's page, the closed one's too; not the internal one
        jobs = board(site, name, extra=2)
        pages = [site.hits(f"/paylocity/Recruiting/Jobs/Details/{job.number}") for job in jobs]
        assert pages == [1] * (size + 1) + [0]
        assert site.hits("/paylocity/Recruiting/Jobs/JobNotFound") >= 1  # where it redirected
    if source == Source.icims:  # every posting's page, and the one that closed (410)
        details = [f"/icims/{name}{icims_path(job)}" for job in board(site, name, extra=1)]
        assert [site.hits(path) for path in details] == [1] * (size + 1)
    if source == Source.jobvite:  # every posting's page, and the one that closed
        details = [f"/jobvite/{name}/job/{jobvite_id(job)}" for job in board(site, name, extra=1)]
        assert [site.hits(path) for path in details] == [1] * (size + 1)
    if source == Source.taleo:  # the feed once; the page of each listed job the feed leaves out
        assert site.hits(f"/taleo/{name}/ats/servlet/Rss") == 1
        in_feed = len(feed_jobs(board(site, name)))
        assert site.hits(f"/taleo/{name}/ats/careers/v2/viewRequisition") == size - in_feed
    if source == Source.rippling:  # one detail per posting, though job 1 is open in two places
        path = "/rippling/platform/api/ats/v2/board/{}/jobs/{}"
        details = [path.format(name, job.uid) for job in board(site, name)]
        assert [site.hits(path) for path in details] == [1] * size
    if source == Source.dover:  # each job's detail, never the sample job's
        path = "/dover/api/v1/inbound/application-portal-job/{}"
        details = [path.format(job.uid) for job in board(site, name, extra=1)]
        assert [site.hits(path) for path in details] == [1] * size + [0]
    if source == Source.hireology:
        assert site.hits(f"/hireology/{name}") == 1  # the career page, for the API token
    if source == Source.careerplug:
        details = [f"/careerplug/{name}/jobs/{careerplug_id(job)}" for job in board(site, name)]
        assert [site.hits(path) for path in details] == [1] * size
    if source == Source.applicantpro:  # the careers page (domain id), each job and the closed one
        assert site.hits(f"/applicantpro/{name}/jobs/") == 1
        details = f"/applicantpro/{name}/core/jobs/{domain_id(name)}/{{}}/job-details"
        jobs = board(site, name, extra=1)
        assert [site.hits(details.format(applicantpro_id(j))) for j in jobs] == [1] * (size + 1)
    if source == Source.join:  # five jobs a page, the most the API allows: 5 + 5 + 2
        assert site.hits(f"/join/api/public/companies/{join_company_id(name)}/jobs") == 3
        details = [f"/join/api/public/jobs/{job.number}" for job in board(site, name)]
        assert [site.hits(path) for path in details] == [1] * size
    if source == Source.comeet:  # every position, with its text, in one answer
        positions = "/comeet/careers-api/2.0/company/4A.00B/positions"  # one uid for all boards
        read = site.hits(positions)
        assert len(fetch_board(redis, site, source, name)) == size
        assert site.hits(positions) == read + 1
    if source == Source.wttj:  # 106 hits (the first job twice): 100 + 6, then every detail
        search = "/wttj/1/indexes/*/queries"  # one path for every board
        read = site.hits(search)
        assert len(fetch_board(redis, site, source, name)) == size
        assert site.hits(search) == read + 2
        details = [
            f"/wttj/api/v1/organizations/{name}/jobs/{wttj_slug(j)}" for j in board(site, name)
        ]
        assert [site.hits(path) for path in details] == [2] * size


@pytest.mark.parametrize(
    ("name", "found", "skipped"),
    [
        (
            "short-150",
            150,
            "smartrecruiters: the board announced 201 postings; paging ended at 151",
        ),
        (
            "brokenpage-150",
            100,
            "smartrecruiters: items from offset 100 on not read: http: HTTP 503",
        ),
    ],
)
def test_a_short_read_keeps_what_it_read_and_says_so(redis, site, name, found, skipped):
    # Not a full read, so the company must be partial: nothing may be closed on its strength.
    careers_url = CAREERS[Source.smartrecruiters].format(name)
    api = smartrecruiters.api_url(careers_url, root=f"{site.base_url}/smartrecruiters")
    company = Company(name="Acme", careers_url=careers_url, api_url=api)
    postings, report = fetch_postings(company, SETTINGS, redis)

    assert len(postings) == report.postings == found
    [reason] = report.skipped
    assert reason.startswith(skipped), reason


def test_a_bamboohr_list_shorter_than_its_total_is_a_partial_read(redis, site):
    careers_url = CAREERS[Source.bamboohr].format("shortlist-8")
    api = ATS_ADAPTERS[Source.bamboohr].api_url(careers_url, root=f"{site.base_url}/bamboohr")
    company = Company(name="Acme", careers_url=careers_url, api_url=api)
    postings, report = fetch_postings(company, SETTINGS, redis)

    assert len(postings) == report.postings == 8
    assert report.skipped == ["bamboohr: the board announced 11 openings; its list held 8"]


def _read_workday(redis, site, tenant: str, site_name: str):
    careers_url = f"https://{tenant}.wd5.myworkdayjobs.com/{site_name}"
    api = workday.api_url(careers_url, root=f"{site.base_url}/workday")
    company = Company(name="Acme", careers_url=careers_url, api_url=api)
    return fetch_postings(company, SETTINGS, redis)


def test_workday_board_larger_than_one_search_is_read_whole_by_facet(redis, site, monkeypatch):
    # One search returns at most 50 results on this site (2,000 on Workday's): 450 postings need
    # a partition by location, and San Francisco's 55 a further one by job family within it.
    monkeypatch.setattr(workday, "RESULT_CAP", 50)
    postings, report = _read_workday(redis, site, "huge-450", "Cap50")

    jobs = board(site, "huge-450")
    assert sorted(p.title for p in postings) == sorted(job.title for job in jobs)
    assert len({p.external_id for p in postings}) == 450  # job 1, open in two places, once
    assert report.skipped == []
    details = [f"/workday/wday/cxs/huge-450/Cap50{workday_path(job)}" for job in jobs]
    assert [site.hits(path) for path in details] == [1] * 450


def test_workday_partition_that_no_facet_can_split_is_a_partial_read(redis, site, monkeypatch):
    # With 10 results a search, some job family in some city still holds more full-time jobs than
    # one search returns: what it returns is kept, and the read says what it could not reach.
    monkeypatch.setattr(workday, "RESULT_CAP", 10)
    postings, report = _read_workday(redis, site, "huge-450", "Cap10")

    assert 0 < len(postings) < 450
    assert len({p.external_id for p in postings}) == len(postings)
    assert report.skipped, "a short read must make the company partial"
    assert (
        "workday: 22 postings match Full time / Data / San Francisco CA, more than the 10 one "
        "search returns, and no facet is left to split them: 12 not read" in report.skipped
    )
    assert report.skipped[-1] == (
        f"workday: the board announced 450 postings; its facets reached {len(postings)}"
    )


def test_greenhouse_pay_ranges_are_asked_for_where_the_board_publishes_them(redis, site):
    paid = fetch_board(redis, site, Source.greenhouse, "paidco-6")
    plain = fetch_board(redis, site, Source.greenhouse, "plainco-6")

    jobs = board(site, "paidco-6")
    assert any(job.pay for job in jobs) and not all(job.pay for job in jobs)
    for posting, job in zip(paid, jobs, strict=True):
        expected = job.pay and (job.pay.min, job.pay.max, job.pay.currency, job.pay.period)
        salary = posting.salary
        assert (salary and (salary.min, salary.max, salary.currency, salary.period)) == expected
    assert all(posting.salary is None for posting in plain)
    # Each job of the board that publishes ranges is asked; of the other board, three.
    detail = "/greenhouse/v1/boards/{}/jobs/{}"
    assert [site.hits(detail.format("paidco-6", job.number)) for job in jobs] == [1] * 6
    plain_jobs = board(site, "plainco-6")
    asked = [site.hits(detail.format("plainco-6", job.number)) for job in plain_jobs]
    assert asked == [1, 1, 1, 0, 0, 0]


def test_a_board_whose_every_detail_is_gone_is_an_error_not_an_empty_board(redis, site):
    api = f"{site.base_url}/workday/wday/cxs/acme/Gone/jobs"
    company = Company(name="Acme", careers_url="https://acme.wd5.myworkdayjobs.com/Gone")

    async def main():
        async with Fetcher(SETTINGS, redis) as fetcher:
            return await workday.fetch(fetcher, api, company)

    with pytest.raises(ValueError, match=r"workday: all 4 posting details are gone, e\.g\. http"):
        asyncio.run(main())


def test_paging_stops_when_an_api_ignores_the_offset():
    calls = []

    async def same_page(offset: int):
        calls.append(offset)
        return [{"id": 1}, {"id": 2}], None

    items = asyncio.run(collect_pages(same_page, page_size=2, source=Source.lever))
    assert items == [{"id": 1}, {"id": 2}] and calls == [0, 2]


def test_paging_of_an_endless_api_is_bounded(caplog):
    async def endless(offset: int):
        return [{"id": offset}, {"id": offset + 1}], None

    with caplog.at_level(logging.WARNING):
        items = asyncio.run(collect_pages(endless, page_size=2, source=Source.teamtailor))
    assert len(items) == MAX_ITEMS
    assert f"stopped after {MAX_ITEMS // 2} pages" in caplog.text


@pytest.mark.parametrize(
    ("source", "path"),
    [
        (Source.smartrecruiters, "/smartrecruiters/v1/nowhere/postings"),
        (Source.workday, "/workday/wday/nowhere/jobs"),
        (Source.personio, "/personio/x/nowhere"),
    ],
)
def test_an_api_error_reaches_the_caller_as_fetch_error(redis, site, source, path):
    async def main():
        async with Fetcher(SETTINGS, redis) as fetcher:
            return await ATS_ADAPTERS[source].fetch(fetcher, site.base_url + path, COMPANY)

    with pytest.raises(FetchError) as error:
        asyncio.run(main())
    assert error.value.http_status == 404


# ---------------------------------------------------------------- malformed payloads and odd jobs


@pytest.mark.parametrize(
    ("adapter", "payload", "message"),
    [
        (workable, [], r"workable: expected a JSON object with a 'jobs' list, got list"),
        (workable, {"error": "Not found"}, r"workable: .*got dict with keys \['error'\]"),
        (smartrecruiters, {"message": "Not found"}, r"smartrecruiters: .*'content' list"),
        (recruitee, {"offers": None}, r"recruitee: .*'offers' list, got dict"),
        (workday, {"errorCode": "HTTP_400"}, r"workday: .*'jobPostings' list"),
        (personio, "<!doctype html><p>Not found", r"personio: expected an XML <workzag-jobs>"),
        (personio, "<?xml version='1.0'?><error/>", r"personio: .*got <error>"),
        (personio, {"jobs": []}, r"personio: expected an XML <workzag-jobs> .*got dict"),
        (teamtailor, "<html><body>Just a moment...</body></html>", r"teamtailor: .*got <html>"),
        (teamtailor, "", r"teamtailor: expected an XML <rss> document"),
    ],
)
def test_malformed_payload_is_a_clear_error(adapter, payload, message):
    with pytest.raises(ValueError, match=message):
        adapter.parse(payload, COMPANY)


POSITION = "<position><id>{id}</id><name>{name}</name><createdAt>2025-01-02</createdAt></position>"
ITEM = "<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>"


@pytest.mark.parametrize(
    ("adapter", "payload"),
    [
        (
            workable,
            {"jobs": [{"title": "Welder", "shortcode": "AB1", "url": "https://x/j/AB1"}, "odd"]},
        ),
        (
            smartrecruiters,
            {"content": [{"id": "1", "name": "Welder", "postingUrl": "https://x/1"}, {"id": "2"}]},
        ),
        (
            recruitee,
            {"offers": [{"id": 1, "title": "Welder", "careers_url": "https://x/o/w"}, {"id": 2}]},
        ),
        (
            workday,
            {"jobPostings": [{"title": "Welder", "externalUrl": "https://x/1"}, {"title": ""}]},
        ),
        (
            personio,
            "<workzag-jobs>"
            + POSITION.format(id=1, name="Welder")
            + POSITION.format(id=2, name="")
            + "</workzag-jobs>",
        ),
        (
            teamtailor,
            "<rss><channel>"
            + ITEM.format(title="Welder", link="https://x/jobs/1", date="nonsense")
            + ITEM.format(title="", link="https://x/jobs/2", date="")
            + "</channel></rss>",
        ),
    ],
)
def test_an_odd_job_is_skipped_without_sinking_the_board(adapter, payload, caplog):
    company = Company(name="Acme", careers_url="https://acme.jobs.personio.de/")
    with caplog.at_level(logging.WARNING):
        postings = adapter.parse(payload, company)
    assert [p.title for p in postings] == ["Welder"]
    assert "skipping" in caplog.text


def test_personio_reads_no_entities_or_external_files():
    payload = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        "<workzag-jobs>" + POSITION.format(id=1, name="Welder &secret;") + "</workzag-jobs>"
    )
    company = Company(name="Acme", careers_url="https://acme.jobs.personio.de/")
    (posting,) = personio.parse(payload, company)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "?"
    assert posting.title.startswith("Welder") and hostname not in posting.title


def test_an_xml_feed_is_read_in_the_encoding_it_declares():
    position = "<position><id>7</id><name>Bäcker</name><office>Köln</office></position>"
    feed = f'<?xml version="1.0" encoding="ISO-8859-1"?><workzag-jobs>{position}</workzag-jobs>'
    company = Company(name="Acme", careers_url="https://acme.jobs.personio.de/")
    (posting,) = personio.parse(feed.encode("latin-1"), company)
    assert (posting.title, posting.location) == ("Bäcker", "Köln")
    assert posting.url == "https://acme.jobs.personio.de/job/7"


def test_teamtailor_temporary_remote_is_no_policy_and_plain_locations_count():
    item = (
        "<item><title>Nurse</title><link>https://a.teamtailor.com/jobs/1-nurse</link>"
        "<remoteStatus>temporary</remoteStatus>"
        "<teamtailor:location>Dublin, Ireland</teamtailor:location></item>"
    )
    feed = (
        f'<rss xmlns:teamtailor="https://teamtailor.com/locations"><channel>{item}</channel></rss>'
    )
    (posting,) = teamtailor.parse(feed, COMPANY)
    assert posting.remote is None and posting.location == "Dublin, Ireland"
    assert posting.external_id == "https://a.teamtailor.com/jobs/1-nurse"  # no guid: the link


# ---------------------------------------------------------------- API URLs and detection


@pytest.mark.parametrize(
    ("source", "careers_url", "api"),
    [
        (
            Source.workable,
            "https://apply.workable.com/acme/j/A1B2C3D4E5/",
            "https://apply.workable.com/api/v1/widget/accounts/acme?details=true",
        ),
        (
            Source.workable,
            "https://acme.workable.com/",
            "https://apply.workable.com/api/v1/widget/accounts/acme?details=true",
        ),
        (
            Source.smartrecruiters,
            "https://jobs.smartrecruiters.com/BoschGroup/744000154478885-intern",
            "https://api.smartrecruiters.com/v1/companies/BoschGroup/postings",
        ),
        (
            Source.recruitee,
            "https://acme.recruitee.com/o/backend-engineer",
            "https://acme.recruitee.com/api/offers/",
        ),
        (
            Source.personio,
            "https://acme.jobs.personio.com/job/1234567?language=en",
            "https://acme.jobs.personio.com/xml",
        ),
        (
            Source.teamtailor,
            "https://acme.teamtailor.com/jobs/123-nurse",
            "https://acme.teamtailor.com/jobs.rss",
        ),
        (
            Source.workday,
            "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Engineer_JR-1",
            "https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs",
        ),
        (
            Source.workday,
            "https://acme.wd1.myworkdayjobs.com/Careers",
            "https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/Careers/jobs",
        ),
        (
            Source.workday,
            "https://wd3.myworkdaysite.com/en-US/recruiting/acme/External",
            "https://wd3.myworkdaysite.com/wday/cxs/acme/External/jobs",
        ),
        (
            Source.zoho,
            "https://acme.zohorecruit.eu/jobs/Careers/730923000001270086/Tax-Manager",
            "https://acme.zohorecruit.eu/recruit/v2/public/Job_Openings"
            "?pagename=Careers&source=CareerSite",
        ),
        (
            Source.breezy,
            "https://acme.breezy.hr/p/7a5244bd419501-recruitment-manager/apply",
            "https://acme.breezy.hr/json",
        ),
        (
            Source.jazzhr,
            "https://acme.applytojob.com/apply/Rk4vT8qLm2/Account-Manager",
            "https://acme.applytojob.com/apply/jobs",
        ),
        (
            Source.homerun,
            "https://acme.homerun.co/senior-designer/en_GB/apply",
            "https://feed.homerun.co/acme",
        ),
        (Source.homerun, "https://feed.homerun.co/acme", "https://feed.homerun.co/acme"),
        (
            Source.oracle,
            "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_45001/"
            "job/342776",
            "https://eeho.fa.us2.oraclecloud.com/hcmRestApi/resources/latest/"
            "recruitingCEJobRequisitions?onlyData=true&expand=requisitionList.workLocation,"
            "requisitionList.otherWorkLocations,requisitionList.secondaryLocations,"
            "flexFieldsFacet.values,requisitionList.requisitionFlexFields&finder=findReqs;"
            "siteNumber=CX_45001,facetsList=LOCATIONS%3BWORK_LOCATIONS%3BWORKPLACE_TYPES%3BTITLES"
            "%3BCATEGORIES%3BORGANIZATIONS%3BPOSTING_DATES%3BFLEX_FIELDS,limit=200,"
            "sortBy=POSTING_DATES_DESC",
        ),
        (
            Source.ukg,
            "https://recruiting2.ultipro.com/ACM1001ACME/JobBoard/9F11BF9F-0141-43D4-8B6B-"
            "7795635662AB/OpportunityDetail?opportunityId=c19385b5-7296-4f1d-88d8-3cbf7507693f",
            "https://recruiting2.ultipro.com/ACM1001ACME/JobBoard/9f11bf9f-0141-43d4-8b6b-"
            "7795635662ab/JobBoardView/LoadSearchResults",
        ),
        (
            Source.paylocity,
            f"https://recruiting.paylocity.com/recruiting/jobs/All/{PAYLOCITY_BOARD.upper()}/"
            "Acme-Corp",
            f"https://recruiting.paylocity.com/Recruiting/Jobs/All/{PAYLOCITY_BOARD}/Acme-Corp",
        ),
        (
            Source.icims,
            "https://careers-acme.icims.com/jobs/4821/welder/job?in_iframe=1",
            "https://careers-acme.icims.com/jobs/search?ss=1&in_iframe=1",
        ),
        (
            Source.icims,
            "https://jobs-acme.icims.com/jobs/intro?hashed=-435621309",
            "https://jobs-acme.icims.com/jobs/search?ss=1&in_iframe=1",
        ),
        (
            Source.jobvite,
            "https://jobs.jobvite.com/acme/job/oaGwAfwG",
            "https://jobs.jobvite.com/acme/search/?p=0",
        ),
        (
            Source.jobvite,
            "https://jobs.jobvite.com/careers/acme/jobs",
            "https://jobs.jobvite.com/acme/search/?p=0",
        ),
        (
            Source.successfactors,
            "https://career5.successfactors.eu/career?company=acmeP&career_job_req_id=42",
            "https://career5.successfactors.eu/career?company=acmeP"
            "&career_ns=job_listing_summary&resultType=XML",
        ),
        (
            Source.taleo,
            "https://chp.tbe.taleo.net/chp02/ats/careers/v2/viewRequisition?org=ACME&cws=46&rid=7",
            "https://chp.tbe.taleo.net/chp02/ats/servlet/Rss?org=ACME&cws=46"
            "&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
        (
            Source.rippling,
            "https://ats.rippling.com/en-US/Acme-Labs/jobs/5ac21346-8e0c-4494-8e7a-3eb92ff77902",
            "https://api.rippling.com/platform/api/ats/v2/board/Acme-Labs/jobs",
        ),
        (
            Source.gem,
            "https://jobs.gem.com/acme-labs/am9icG9zdDpleGFtcGxl",
            "https://api.gem.com/job_board/v0/acme-labs/job_posts/",
        ),
        (
            Source.dover,
            "https://app.dover.com/apply/acme-labs/23891f33-004d-42ab-a720-0647b834dee0",
            "https://app.dover.com/api/v1/careers-page-slug/acme-labs",
        ),
        (
            Source.dover,
            "https://app.dover.com/AcmeLabs/careers/4330a65c-241b-44e3-9524-1f8bb2f514d7",
            "https://app.dover.com/api/v1/careers-page/4330a65c-241b-44e3-9524-1f8bb2f514d7",
        ),
        (
            Source.hireology,
            "https://careers.hireology.com/andersonautogroup/2827500/description",
            "https://api.hireology.com/v2/public/careers/andersonautogroup",
        ),
        (
            Source.hireology,
            "https://acme.hireology.careers/",
            "https://api.hireology.com/v2/public/careers/acme",
        ),
        (
            Source.careerplug,
            "https://acme-careers.careerplug.com/jobs/3570902",
            "https://acme-careers.careerplug.com/jobs",
        ),
        (
            Source.applicantpro,
            "https://www.applicantpro.com/openings/acme/jobs",
            "https://acme.applicantpro.com/jobs/",  # the careers page: it names the domain id
        ),
        (
            Source.applicantpro,
            "https://acme.applicantpro.com/core/jobs/19218?getParams=%7B%7D",
            "https://acme.applicantpro.com/core/jobs/19218",
        ),
        (
            Source.join,
            "https://join.com/companies/acme/16497003-fullstack-developer-m-w-d?pid=1",
            "https://join.com/companies/acme",
        ),
        (
            Source.hibob,
            "https://acme.careers.hibob.com/jobs/5b3e6a0c-1f2d-4c8e-9a7b-0d1e2f3a4b5c",
            "https://acme.careers.hibob.com/api/job-ad",
        ),
        (
            Source.comeet,
            "https://www.comeet.com/jobs/acme/43.00b/backend-engineer/8A.26E",
            "https://www.comeet.com/jobs/acme/43.00B",
        ),
        (
            Source.wttj,
            "https://www.welcometothejungle.com/en/companies/acme/jobs/data-engineer_paris",
            "https://api.welcometothejungle.com/api/v1/organizations/acme",
        ),
    ],
)
def test_api_url_from_careers_url(source, careers_url, api):
    assert ATS_ADAPTERS[source].api_url(careers_url) == api


@pytest.mark.parametrize(
    ("source", "careers_url", "api"),
    [
        (
            Source.greenhouse,
            "https://boards.greenhouse.io/acme",
            "/v1/boards/acme/jobs?content=true",
        ),
        (Source.lever, "https://jobs.eu.lever.co/acme", "/v0/postings/acme?mode=json"),
        (
            Source.ashby,
            "https://jobs.ashbyhq.com/acme",
            "/posting-api/job-board/acme?includeCompensation=true",
        ),
        (
            Source.workable,
            "https://apply.workable.com/acme/",
            "/api/v1/widget/accounts/acme?details=true",
        ),
        (
            Source.smartrecruiters,
            "https://careers.smartrecruiters.com/acme",
            "/v1/companies/acme/postings",
        ),
        (Source.recruitee, "https://acme.recruitee.com/", "/acme/api/offers/"),
        (Source.personio, "https://acme.jobs.personio.de/", "/acme/xml"),
        (Source.teamtailor, "https://acme.teamtailor.com/jobs", "/acme/jobs.rss"),
        (
            Source.workday,
            "https://acme.wd5.myworkdayjobs.com/External",
            "/wday/cxs/acme/External/jobs",
        ),
        (Source.bamboohr, "https://acme.bamboohr.com/careers/47", "/acme/careers/list"),
        (
            Source.zoho,
            "https://acme.zohorecruit.in/jobs/Careers",
            "/acme/recruit/v2/public/Job_Openings?pagename=Careers&source=CareerSite",
        ),
        (Source.breezy, "https://acme.breezy.hr/p/7a5244bd4195-engineer", "/acme/json"),
        (Source.jazzhr, "https://acme.applytojob.com/apply", "/acme/apply/jobs"),
        (Source.homerun, "https://acme.homerun.co/", "/acme"),
        (
            Source.oracle,
            "https://acme.fa.em2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/jobs",
            "/acme.fa.em2.oraclecloud.com/hcmRestApi/resources/latest/recruitingCEJobRequisitions"
            "?onlyData=true&expand=requisitionList.workLocation,requisitionList.otherWorkLocations,"
            "requisitionList.secondaryLocations,flexFieldsFacet.values,"
            "requisitionList.requisitionFlexFields&finder=findReqs;siteNumber=CX_1,facetsList="
            "LOCATIONS%3BWORK_LOCATIONS%3BWORKPLACE_TYPES%3BTITLES%3BCATEGORIES%3BORGANIZATIONS"
            "%3BPOSTING_DATES%3BFLEX_FIELDS,limit=200,sortBy=POSTING_DATES_DESC",
        ),
        (
            Source.ukg,
            f"https://recruiting.ultipro.ca/ACM1001ACME/JobBoard/{UKG_BOARD}/",
            f"/ACM1001ACME/JobBoard/{UKG_BOARD}/JobBoardView/LoadSearchResults",
        ),
        (
            Source.paylocity,
            f"https://2000recruiting.paylocity.com/Recruiting/Jobs/All/{PAYLOCITY_BOARD}",
            f"/Recruiting/Jobs/All/{PAYLOCITY_BOARD}",
        ),
        (
            Source.icims,
            "https://careers-acme.icims.com/jobs/search?ss=1",
            "/careers-acme/jobs/search?ss=1&in_iframe=1",
        ),
        (Source.jobvite, "https://jobs.jobvite.com/acme/jobs", "/acme/search/?p=0"),
        (Source.successfactors, "https://acme.jobs2web.com/job/x/1/", "/acme/googlefeed.xml"),
        (
            Source.taleo,
            "https://phf.tbe.taleo.net/phf02/ats/careers/v2/searchResults?org=ACME&cws=41",
            "/phf02/ats/servlet/Rss?org=ACME&cws=41&WebPage=SRCHR_V2&WebVersion=0&_rss_version=2",
        ),
        (
            Source.rippling,
            "https://ats.rippling.com/acme/jobs",
            "/platform/api/ats/v2/board/acme/jobs",
        ),
        (Source.gem, "https://jobs.gem.com/acme", "/job_board/v0/acme/job_posts/"),
        (Source.dover, "https://app.dover.com/jobs/acme", "/api/v1/careers-page-slug/acme"),
        (Source.hireology, "https://careers.hireology.com/acme", "/v2/public/careers/acme"),
        (Source.careerplug, "https://acme.careerplug.com/jobs?embed=1", "/acme/jobs"),
        (Source.applicantpro, "https://acme.applicantpro.com/jobs/4124648", "/acme/jobs/"),
        (Source.join, "https://www.join.com/companies/acme", "/companies/acme"),
        (Source.hibob, "https://acme.careers.hibob.com/", "/acme/api/job-ad"),
        (Source.comeet, "https://comeet.co/jobs/acme/43.00B", "/jobs/acme/43.00B"),
        (
            Source.wttj,
            "https://www.welcometothejungle.com/fr/companies/acme",
            "/api/v1/organizations/acme",
        ),
    ],
)
def test_api_url_on_a_mirror(source, careers_url, api):
    root = "http://127.0.0.1:9/" + source
    assert ATS_ADAPTERS[source].api_url(careers_url, root=root + "/") == root + api


@pytest.mark.parametrize(
    ("source", "careers_url", "message"),
    [
        (Source.greenhouse, "https://acme.example/careers", "greenhouse: no board token"),
        (Source.workable, "https://apply.workable.com/j/A1B2C3", "workable: no account subdomain"),
        (Source.workable, "https://www.workable.com/", "workable: no account subdomain"),
        (Source.smartrecruiters, "https://careers.smartrecruiters.com/", "no company identifier"),
        (Source.recruitee, "https://www.recruitee.com/", "recruitee: no company subdomain"),
        (Source.personio, "https://www.personio.de/", "personio: no company subdomain"),
        (Source.teamtailor, "https://www.teamtailor.com/en/", "teamtailor: no company subdomain"),
        (Source.workday, "https://www.myworkday.com/acme", "workday: no tenant and site"),
        (Source.workday, "https://acme.wd5.myworkdayjobs.com/", "workday: no tenant and site"),
        (Source.bamboohr, "https://www.bamboohr.com/careers", "bamboohr: no company subdomain"),
        (Source.zoho, "https://www.zohorecruit.com/", "zoho: no tenant subdomain"),
        (Source.breezy, "https://breezy.hr/", "breezy: no company subdomain"),
        (Source.breezy, "https://app.breezy.hr/signin", "breezy: no company subdomain"),
        (Source.jazzhr, "https://www.applytojob.com/", "jazzhr: no company subdomain"),
        (Source.homerun, "https://www.homerun.co/pricing", "homerun: no company subdomain"),
        (Source.homerun, "https://feed.homerun.co/", "homerun: no company subdomain"),
        (
            Source.oracle,
            "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites",
            "oracle: no Fusion host and site",
        ),
        (Source.ukg, "https://recruiting.ultipro.com/ACM1001ACME", "ukg: no tenant and job board"),
        (
            Source.paylocity,
            "https://recruiting.paylocity.com/Recruiting/Jobs/Details/4363000",
            "paylocity: no board GUID",
        ),
        (Source.icims, "https://www.icims.com/products/", "icims: no portal subdomain"),
        (
            Source.jobvite,
            "https://app.jobvite.com/CompanyJobs/Careers.aspx?c=qck9Vfwk&page=Jobs",
            "jobvite: no company name",
        ),
        (
            Source.successfactors,
            "https://www.successfactors.com/",
            "successfactors: no career site or company id",
        ),
        (Source.taleo, "https://phf.tbe.taleo.net/phf02/ats/", "taleo: no org and cws"),
        (Source.rippling, "https://ats.rippling.com/", "rippling: no board slug"),
        (Source.gem, "https://www.gem.com/careers", "gem: no board path"),
        (Source.dover, "https://app.dover.com/login", "dover: no careers page slug or client id"),
        (Source.hireology, "https://careers.hireology.com/", "hireology: no careers slug"),
        (Source.careerplug, "https://www.careerplug.com/", "careerplug: no company subdomain"),
        (Source.applicantpro, "https://www.applicantpro.com/", "applicantpro: no tenant subdomain"),
        (Source.join, "https://join.com/companies", "join: no company slug"),
        (Source.hibob, "https://www.hibob.com/careers/", "hibob: no company subdomain"),
        (Source.comeet, "https://www.comeet.com/jobs/acme", "comeet: no company slug and uid"),
        (Source.wttj, "https://www.welcometothejungle.com/fr/jobs", "wttj: no company slug"),
    ],
)
def test_api_url_without_a_board_is_a_clear_error(source, careers_url, message):
    with pytest.raises(ValueError, match=message) as error:
        ATS_ADAPTERS[source].api_url(careers_url)
    assert repr(careers_url) in str(error.value)


@pytest.mark.parametrize(
    ("careers_url", "source"),
    [
        ("https://apply.workable.com/acme/", Source.workable),
        ("https://acme.workable.com/", Source.workable),
        ("https://careers.smartrecruiters.com/Acme", Source.smartrecruiters),
        ("https://jobs.smartrecruiters.com/Acme/744000-x", Source.smartrecruiters),
        ("https://acme.recruitee.com/", Source.recruitee),
        ("https://acme.jobs.personio.de/", Source.personio),
        ("https://acme.jobs.personio.com/", Source.personio),
        ("https://acme.teamtailor.com/jobs", Source.teamtailor),
        ("https://acme.wd5.myworkdayjobs.com/External", Source.workday),
        ("https://wd3.myworkdaysite.com/recruiting/acme/External", Source.workday),
        ("https://acme.pinpointhq.com/en/postings/3f6c2a91-7d4e", Source.pinpoint),
        ("https://acme.bamboohr.com/careers/47", Source.bamboohr),
        ("https://acme.bamboohr.com/jobs/", Source.bamboohr),
        (
            "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_45001/job/1",
            Source.oracle,
        ),
        (
            "https://jpmc.fa.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1001",
            Source.oracle,
        ),
        ("https://acme.jobs2web.com/", Source.successfactors),
        ("https://career5.successfactors.eu/career?company=acmeP", Source.successfactors),
        (
            "https://phf.tbe.taleo.net/phf02/ats/careers/v2/searchResults?org=ACME&cws=41",
            Source.taleo,
        ),
        ("https://join.com/companies/acme/16497003-fullstack-developer", Source.join),
        ("https://acme.careers.hibob.com/jobs", Source.hibob),
        ("https://app.hibob.com/login", Source.jsonld),
        ("https://www.comeet.com/jobs/acme/43.00B", Source.comeet),
        ("https://www.welcometothejungle.com/en/companies/acme/jobs", Source.wttj),
        ("https://recruitee.com.example.org/", Source.jsonld),
        ("https://acme.zohorecruit.com/jobs/Careers", Source.zoho),
        ("https://acme.zohorecruit.com.au/jobs/Careers/61872500000559/Planner", Source.zoho),
        ("https://acme.breezy.hr/p/7a5244bd4195-engineer", Source.breezy),
        ("https://acme.applytojob.com/apply/jobs/details/Rk4vT8qLm2", Source.jazzhr),
        ("https://acme.homerun.co/senior-designer/nl", Source.homerun),
        (f"https://recruiting.ultipro.com/ACM1001ACME/JobBoard/{UKG_BOARD}", Source.ukg),
        (f"https://acme.rec.pro.ukg.net/ACM1001ACME/JobBoard/{UKG_BOARD}", Source.ukg),
        (
            f"https://recruiting.paylocity.com/recruiting/jobs/All/{PAYLOCITY_BOARD}",
            Source.paylocity,
        ),
        ("https://careers-acme.icims.com/jobs/search?ss=1", Source.icims),
        ("https://uscareers-acme.icims.com/jobs/4821/welder/job", Source.icims),
        ("https://jobs.jobvite.com/acme/jobs", Source.jobvite),
        ("https://app.jobvite.com/CompanyJobs/Careers.aspx?c=qck9Vfwk", Source.jobvite),
        (
            "https://ats.rippling.com/acme/jobs/5ac21346-8e0c-4494-8e7a-3eb92ff77902",
            Source.rippling,
        ),
        ("https://jobs.gem.com/acme/am9icG9zdDpleGFtcGxl", Source.gem),
        ("https://app.dover.com/jobs/acme", Source.dover),
        ("https://careers.hireology.com/acme/2827500/description", Source.hireology),
        ("https://acme.hireology.careers/", Source.hireology),
        ("https://acme.careerplug.com/jobs/3570902", Source.careerplug),
        ("https://acme.applicantpro.com/jobs/4124648", Source.applicantpro),
    ],
)
def test_detect_source(careers_url, source):
    assert detect_source(careers_url) == source


# ---------------------------------------------------------------- boards embedded in careers pages


def page(body: str) -> str:
    return f"<!doctype html><html><head><title>Careers</title></head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<div id="grnhse_app"></div><script src="https://boards.greenhouse.io/embed/job_board/'
            'js?for=acmerobotics"></script>',
            (Source.greenhouse, "https://boards.greenhouse.io/acmerobotics"),
        ),
        (
            '<iframe src="https://boards.greenhouse.io/embed/job_board?for=acme&b=https%3A%2F%2F'
            'acme.com%2Fcareers"></iframe>',
            (Source.greenhouse, "https://boards.greenhouse.io/acme"),
        ),
        (
            '<a href="https://job-boards.greenhouse.io/acme/jobs/4012345">Welder</a>',
            (Source.greenhouse, "https://boards.greenhouse.io/acme"),
        ),
        (
            '<a href="https://jobs.lever.co/globex/5ac21346-8e0c-4494-8e7a-3eb92ff77902">A</a>'
            '<a href="https://jobs.lever.co/globex/7bd1e2f0-1111-4494-8e7a-3eb92ff77902">B</a>'
            '<footer><a href="https://jobs.lever.co/partner">Our partner is hiring</a></footer>',
            (Source.lever, "https://jobs.lever.co/globex"),
        ),
        (
            '<a href="https://jobs.eu.lever.co/globex/apply">Apply</a>',
            (Source.lever, "https://jobs.eu.lever.co/globex"),
        ),
        (
            '<div id="ashby_embed"></div>'
            '<script src="https://jobs.ashbyhq.com/initech/embed?version=2" defer></script>',
            (Source.ashby, "https://jobs.ashbyhq.com/initech"),
        ),
        (
            '<a href="https://apply.workable.com/hooli/j/A1B2C3D4E5/">Engineer</a>',
            (Source.workable, "https://apply.workable.com/hooli/"),
        ),
        (
            '<script src="https://apply.workable.com/api/v1/widget/accounts/hooli?callback=show">'
            "</script>",
            (Source.workable, "https://apply.workable.com/hooli/"),
        ),
        (
            '<a href="https://careers.smartrecruiters.com/Umbrella">All jobs</a>'
            '<a href="https://jobs.smartrecruiters.com/Umbrella/744000054-chemist">Chemist</a>',
            (Source.smartrecruiters, "https://careers.smartrecruiters.com/Umbrella"),
        ),
        (
            '<a href="https://soylent.recruitee.com/o/food-scientist">Food scientist</a>',
            (Source.recruitee, "https://soylent.recruitee.com/"),
        ),
        (
            '<iframe data-src="https://cyberdyne.jobs.personio.de/?display=en" loading="lazy">'
            "</iframe>",
            (Source.personio, "https://cyberdyne.jobs.personio.de/"),
        ),
        (
            '<a href="https://tyrell.teamtailor.com/jobs/123-replicant-designer">Designer</a>',
            (Source.teamtailor, "https://tyrell.teamtailor.com/jobs"),
        ),
        (
            '<a href="https://wayne.wd1.myworkdayjobs.com/en-US/WayneCareers/job/Gotham/'
            'Engineer_R-1">Engineer</a>',
            (Source.workday, "https://wayne.wd1.myworkdayjobs.com/WayneCareers"),
        ),
        (
            '<a href="https://massive-dynamic.pinpointhq.com/en/postings/3f6c2a91-7d4e-4b1a-9c55-'
            '0e8d1f2a6b70">Analyst</a>',
            (Source.pinpoint, "https://massive-dynamic.pinpointhq.com/"),
        ),
        (
            '<a href="https://initech.bamboohr.com/careers/112">Accountant</a>',
            (Source.bamboohr, "https://initech.bamboohr.com/"),
        ),
        (
            '<a href="https://initech.zohorecruit.in/jobs/Careers/618725000005596009/Planner?'
            'source=CareerSite">Planner</a>',
            (Source.zoho, "https://initech.zohorecruit.in/jobs/Careers"),
        ),
        (
            '<a href="https://hooli.breezy.hr/p/2d861561c6f2-appointment-setter">Setter</a>'
            '<a href="https://hooli.breezy.hr/">All positions</a>',
            (Source.breezy, "https://hooli.breezy.hr/"),
        ),
        (
            '<iframe src="https://vandelay.applytojob.com/apply/jobs" loading="lazy"></iframe>',
            (Source.jazzhr, "https://vandelay.applytojob.com/"),
        ),
        (
            '<a href="https://dunder-mifflin.homerun.co/sales-rep/en_GB">Sales rep</a>',
            (Source.homerun, "https://dunder-mifflin.homerun.co/"),
        ),
        (
            '<a href="https://hdpc.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/'
            'LateralHiring/job/169308">Analyst</a>',
            (
                Source.oracle,
                "https://hdpc.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/"
                "LateralHiring",
            ),
        ),
        (
            f'<a href="https://recruiting2.ultipro.com/INI1000INIT/JobBoard/{UKG_BOARD}/'
            'OpportunityDetail?opportunityId=c19385b5-7296-4f1d-88d8-3cbf7507693f">Clerk</a>',
            (Source.ukg, f"https://recruiting2.ultipro.com/INI1000INIT/JobBoard/{UKG_BOARD}"),
        ),
        (
            '<iframe src="https://recruiting.paylocity.com/recruiting/jobs/All/'
            f'{PAYLOCITY_BOARD}/Initech-LLC?embed=true"></iframe>',
            (
                Source.paylocity,
                f"https://recruiting.paylocity.com/Recruiting/Jobs/All/{PAYLOCITY_BOARD}/Initech-LLC",
            ),
        ),
        (
            '<iframe id="icims_content_iframe" src="https://careers-globex.icims.com/jobs/search'
            '?ss=1&in_iframe=1&hashed=-435621309"></iframe>'
            '<a href="https://careers-globex.icims.com/jobs/4821/welder/job">Welder</a>',
            (Source.icims, "https://careers-globex.icims.com/"),
        ),
        (
            '<iframe src="https://jobs.jobvite.com/hooli/jobs?nl=1&fr=true"></iframe>'
            '<a href="https://jobs.jobvite.com/hooli/job/oaGwAfwG">Welder</a>',
            (Source.jobvite, "https://jobs.jobvite.com/hooli/jobs"),
        ),
        (
            '<a href="https://career5.successfactors.eu/career?company=umbrellaP&career_ns='
            'job_listing&career_job_req_id=4711">Chemist</a>',
            (Source.successfactors, "https://career5.successfactors.eu/career?company=umbrellaP"),
        ),
        (
            '<a href="https://chp.tbe.taleo.net/chp04/ats/careers/v2/viewRequisition?org=KRUSTY&amp;'
            'cws=46&amp;rid=685">Clown</a>',
            (
                Source.taleo,
                "https://chp.tbe.taleo.net/chp04/ats/careers/v2/searchResults?org=KRUSTY&cws=46",
            ),
        ),
        (
            '<a href="https://ats.rippling.com/hooli-careers/jobs/5ac21346-8e0c-4494-8e7a-'
            '3eb92ff77902">Engineer</a><a href="https://ats.rippling.com/hooli-careers/jobs">All</a>',
            (Source.rippling, "https://ats.rippling.com/hooli-careers/jobs"),
        ),
        (
            '<a href="https://jobs.gem.com/pied-piper/am9icG9zdDpleGFtcGxl">Engineer</a>',
            (Source.gem, "https://jobs.gem.com/pied-piper"),
        ),
        (
            '<a href="https://app.dover.com/apply/vandelay/23891f33-004d-42ab-a720-0647b834dee0">'
            "Importer</a>",
            (Source.dover, "https://app.dover.com/jobs/vandelay"),
        ),
        (
            '<a href="https://careers.hireology.com/initechmotors/2699065/description">Tech</a>'
            '<a href="https://careers.hireology.com/initechmotors">All jobs</a>',
            (Source.hireology, "https://careers.hireology.com/initechmotors"),
        ),
        (
            '<iframe id="cpatsframe" src="https://initech-careers.careerplug.com/jobs?embed=1">'
            '</iframe><script src="https://cpats.s3.amazonaws.com/assets/embed.js"></script>',
            (Source.careerplug, "https://initech-careers.careerplug.com/"),
        ),
        (
            '<a href="https://initech.applicantpro.com/jobs/4124648">Project Engineer</a>',
            (Source.applicantpro, "https://initech.applicantpro.com/jobs/"),
        ),
        (
            '<a href="https://join.com/companies/vandelay/16497003-importer-m-w-d">Importer</a>',
            (Source.join, "https://join.com/companies/vandelay"),
        ),
        (
            '<iframe src="https://kramerica.careers.hibob.com/jobs"></iframe>',
            (Source.hibob, "https://kramerica.careers.hibob.com/"),
        ),
        (
            '<a href="https://www.comeet.com/jobs/pendant/61.005/latex-salesman/8A.26E">Sales</a>',
            (Source.comeet, "https://www.comeet.com/jobs/pendant/61.005"),
        ),
        (
            '<a href="https://www.welcometothejungle.com/fr/companies/kel-varnsen/jobs/'
            'importateur_paris">Importateur</a>',
            (Source.wttj, "https://www.welcometothejungle.com/fr/companies/kel-varnsen"),
        ),
    ],
)
def test_board_from_page_finds_the_embedded_board(body, expected):
    found = board_from_page(page(body), "https://www.acme.example/careers")
    assert found == expected
    source, board_url = found
    assert ATS_ADAPTERS[source].api_url(board_url)  # the fetch stage can read the board it names


def test_board_from_page_ignores_pages_without_a_board():
    links = (
        '<a href="/jobs/1">Welder</a><a href="https://www.workable.com/">Powered by Workable</a>'
        '<script src="https://www.workable.com/assets/embed.js"></script>'
        '<a href="https://www.recruitee.com/">Recruitee</a><a href="mailto:jobs@acme.example">'
        "Mail us</a><a>no link</a>"
        '<a href="https://www.pinpointhq.com/">Hiring software by Pinpoint</a>'
        '<a href="https://www.bamboohr.com/">HR software by BambooHR</a>'
        '<a href="https://www.zoho.com/recruit/">Powered by Zoho Recruit</a>'
        '<a href="https://breezy.hr/">Powered by Breezy HR</a>'
        '<a href="https://www.breezy.hr/features">Breezy HR</a>'
        '<a href="https://www.jazzhr.com/">Powered by JazzHR</a>'
        '<a href="https://www.applytojob.com/">Apply to job</a>'
        '<a href="https://www.homerun.co/?utm_source=careers">Powered by Homerun</a>'
        '<a href="https://www.oracle.com/human-capital-management/recruiting/">Powered by Oracle'
        " Recruiting</a>"
        '<a href="https://www.ukg.com/">Powered by UKG</a>'
        '<a href="https://recruiting.ultipro.com/ACM1001ACME">Careers at UKG Pro</a>'
        '<a href="https://www.paylocity.com/">Powered by Paylocity</a>'
        '<a href="https://recruiting.paylocity.com/Recruiting/Jobs/Details/4363000">A job</a>'
        '<a href="https://www.icims.com/">Powered by iCIMS</a>'
        '<a href="https://www.jobvite.com/">Powered by Jobvite</a>'
        '<iframe src="https://app.jobvite.com/CompanyJobs/Careers.aspx?c=qck9Vfwk"></iframe>'
        '<a href="https://www.successfactors.com/">Powered by SAP SuccessFactors</a>'
        '<a href="https://tbe.taleo.net/">Recruiting software by Oracle Taleo</a>'
        '<a href="https://www.rippling.com/recruiting">Powered by Rippling</a>'
        '<a href="https://www.gem.com/">Recruiting with Gem</a>'
        '<a href="https://www.dover.com/">Hiring with Dover</a>'
        '<a href="https://www.hireology.com/">Powered by Hireology</a>'
        '<a href="https://www.careerplug.com/">Powered by CareerPlug</a>'
        '<a href="https://www.applicantpro.com/">Powered by ApplicantPro</a>'
        '<a href="https://join.com/">Powered by JOIN</a>'
        '<a href="https://www.hibob.com/">HR by HiBob</a>'
        '<a href="https://www.comeet.com/">Powered by Comeet</a>'
        '<a href="https://www.welcometothejungle.com/fr">Welcome to the Jungle</a>'
    )
    assert board_from_page(page(links), "https://www.acme.example/careers") is None
    assert board_from_page("", "https://www.acme.example/careers") is None


# ---------------------------------------------------------------- the Ashby corpus

CORPUS = Path(
    os.environ.get("OPENINGS_ASHBY_CORPUS", Path(__file__).parents[3] / "shared/corpus/ashby")
)
FILLED = {
    "location": lambda p: p.location,
    "department": lambda p: p.department,
    "posted_at": lambda p: p.posted_at,
    "remote": lambda p: p.remote,
    "employment_type": lambda p: p.employment_type,
    "salary": lambda p: p.salary,
    "description": lambda p: p.description.strip(),
}


def test_ashby_corpus_every_listed_job_becomes_a_posting():
    """Real Ashby answers: run with -s to see how many of each field they fill."""
    files = sorted(CORPUS.glob("*.json")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"no Ashby corpus at {CORPUS}")
    rows = []
    for path in files:
        payload = json.loads(path.read_text())
        listed = [job for job in payload["jobs"] if job.get("isListed") is not False]
        postings = ashby.parse(payload, Company(name=path.stem, careers_url="https://x.example"))
        assert len(postings) == len(listed), path.name
        assert all(
            p.posted_at is None or p.posted_at.utcoffset().total_seconds() == 0 for p in postings
        )
        rows.append((path.stem, len(payload["jobs"]), postings))
    width = max(len(name) for name, _, _ in rows)
    print(f"\nAshby corpus ({CORPUS}): postings in/out and fields filled")
    print(f"{'board':<{width}}  in  out  " + "  ".join(FILLED))
    total_in = sum(n for _, n, _ in rows)
    everything = [p for _, _, postings in rows for p in postings]
    for name, count, postings in [*rows, ("TOTAL", total_in, everything)]:
        filled = [sum(1 for p in postings if get(p)) for get in FILLED.values()]
        cells = "  ".join(f"{n:>{len(field)}}" for n, field in zip(filled, FILLED, strict=True))
        print(f"{name:<{width}}  {count:>2}  {len(postings):>3}  {cells}")
